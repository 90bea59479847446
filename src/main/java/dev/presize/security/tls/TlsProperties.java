package dev.presize.security.tls;

import dev.presize.config.ServingSettings;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The serving-certificate flags, named as kube's generic apiserver names them; checked and
 * defaulted by {@link ServingSettings} (dev.presize.config).
 *
 * @param tlsCertFile          PEM certificate (leaf first, then intermediates); with {@code tlsPrivateKeyFile}
 * @param tlsPrivateKeyFile    PEM private key (PKCS#1, SEC1 or PKCS#8, unencrypted)
 * @param certDir              where a self-signed certificate is generated when no files are given
 * @param tlsSans              comma-separated extra DNS names / IP addresses for the generated certificate
 * @param tlsReloadInterval    how often the PEM files are checked for changes
 */
@Singleton
public record TlsProperties(
        @Nullable String tlsCertFile,
        @Nullable String tlsPrivateKeyFile,
        String certDir,
        @Nullable String tlsSans,
        Duration tlsReloadInterval) {

    @Inject
    public TlsProperties(ServingSettings serving) {
        this(serving.tlsCertFile().map(Path::toString).orElse(null), serving.tlsPrivateKeyFile().map(Path::toString).orElse(null),
                serving.certDir().toString(), String.join(",", serving.tlsSans()), serving.tlsReloadInterval());
    }

    /** The explicitly configured files, or {@code null} when a certificate is to be generated. */
    @Nullable
    ServingCertificateFiles explicitFiles() {
        boolean cert = !isBlank(tlsCertFile);
        boolean key = !isBlank(tlsPrivateKeyFile);
        if (cert != key) {
            throw new TlsConfigurationException(cert
                    ? "--tls-cert-file is set but --tls-private-key-file is not: give both or neither"
                    : "--tls-private-key-file is set but --tls-cert-file is not: give both or neither");
        }
        return cert ? new ServingCertificateFiles(Path.of(tlsCertFile.trim()), Path.of(tlsPrivateKeyFile.trim()), null) : null;
    }

    /** The extra subject alternative names, trimmed, without empty entries. */
    List<String> extraSans() {
        if (isBlank(tlsSans)) {
            return List.of();
        }
        return Arrays.stream(tlsSans.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    Duration reloadInterval() {
        return tlsReloadInterval == null || tlsReloadInterval.isNegative() || tlsReloadInterval.isZero()
                ? Duration.ofSeconds(10) : tlsReloadInterval;
    }

    private static boolean isBlank(@Nullable String s) {
        return s == null || s.isBlank();
    }
}
