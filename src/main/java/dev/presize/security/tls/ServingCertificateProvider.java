package dev.presize.security.tls;

import io.micronaut.http.ssl.CertificateProvider;
import io.micronaut.http.ssl.ServerSslConfiguration;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The server's key material ({@code micronaut.server.ssl.key-name: presize-serving}): the PEM files
 * of {@code --tls-cert-file}/{@code --tls-private-key-file}, or a self-signed certificate generated
 * into {@code --cert-dir}. Micronaut subscribes to {@link #getKeyStore()} when the listener binds
 * and rebuilds its SslContext on every emission; the first one arrives synchronously.
 *
 * <p>The files are re-read every {@code presize.tls-reload-interval} and compared by content hash,
 * not by file events: a Kubernetes Secret volume updates by swapping a {@code ..data} symlink, which
 * file watchers miss. A changed but unusable pair (e.g. the certificate already replaced, the key
 * not yet) is logged and the current certificate stays; the next poll tries again.
 *
 * <p>Creating this bean fails with a {@link TlsConfigurationException} for bad flags or files, so
 * the server does not start.
 */
@Singleton
@Named(ServingCertificateProvider.NAME)
public final class ServingCertificateProvider implements CertificateProvider {

    public static final String NAME = "presize-serving";
    private static final Logger LOG = LoggerFactory.getLogger(ServingCertificateProvider.class);

    private final ServingCertificateFiles files;
    private final char[] keyPassword;
    private final LatestValuePublisher<KeyStore> keyStores;
    private final ScheduledExecutorService poller;
    private volatile ServingCertificate current;
    private String currentDigest;
    private String rejected;

    public ServingCertificateProvider(TlsProperties properties, ServerSslConfiguration ssl) {
        // SslContextAutoLoader unlocks the key with this very setting, so the store must use it too.
        this.keyPassword = ssl.getKey().getPassword()
                .or(() -> ssl.getKeyStore().getPassword())
                .orElseThrow(() -> new TlsConfigurationException(
                        "micronaut.server.ssl.key.password must be set (it protects the in-memory key store only)"))
                .toCharArray();
        ServingCertificateFiles explicit = properties.explicitFiles();
        this.files = explicit != null ? explicit
                : SelfSignedCertificates.ensure(Path.of(properties.certDir()),
                        SelfSignedCertificates.sans(properties.extraSans()), Instant.now());
        ServingCertificateFiles.Contents contents = files.read();
        this.current = files.parse(contents);
        this.currentDigest = contents.digest();
        this.keyStores = new LatestValuePublisher<>(current.toKeyStore(keyPassword));
        LOG.info("Serving certificate from {}: {}", files.certFile(), describe(current));

        Duration interval = properties.reloadInterval();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "presize-tls-reload");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::reloadIfChanged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String getName() {
        return NAME;
    }

    /** The current key store, then one per change of the files. */
    @Override
    public Publisher<KeyStore> getKeyStore() {
        return keyStores;
    }

    /** The certificate being served now. */
    public ServingCertificate current() {
        return current;
    }

    /**
     * PEM of the CA a client should trust for this server (for a kubeconfig's
     * {@code certificate-authority-data}, base64 of these bytes): the generated CA, or the
     * self-signed root at the end of the {@code --tls-cert-file} chain. Empty when that chain has
     * no root (then clients are expected to trust its issuer already).
     */
    public Optional<String> caPem() {
        return Optional.ofNullable(current.caPem());
    }

    /** Re-reads the files; emits a new key store when their content changed and is usable. */
    void reloadIfChanged() {
        String problem;
        try {
            ServingCertificateFiles.Contents contents = files.read();
            String digest = contents.digest();
            if (digest.equals(currentDigest)) {
                return;
            }
            ServingCertificate next = files.parse(contents);
            keyStores.publish(next.toKeyStore(keyPassword));
            current = next;
            currentDigest = digest;
            rejected = null;
            LOG.info("Reloaded the serving certificate from {}: {}", files.certFile(), describe(next));
            return;
        } catch (TlsConfigurationException e) {
            problem = e.getMessage();
        } catch (RuntimeException e) {
            problem = "reloading failed: " + e;
        }
        // Log each distinct problem once, not every poll while an update is half done or broken.
        if (!problem.equals(rejected)) {
            LOG.warn("Keeping the current serving certificate: {}", problem);
            rejected = problem;
        }
    }

    private static String describe(ServingCertificate c) {
        return "subject \"" + c.leaf().getSubjectX500Principal().getName() + "\", serial "
                + c.leaf().getSerialNumber().toString(16) + ", valid until " + c.leaf().getNotAfter().toInstant();
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }
}
