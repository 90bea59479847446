package dev.presize.security.authentication;

import dev.presize.security.tls.PemFiles;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A CA bundle file given by a flag, re-read by content (a Kubernetes Secret or ConfigMap volume
 * swaps a {@code ..data} symlink, which file events miss), as k8s.io/apiserver's
 * {@code DynamicFileCAContent} does. Not thread-safe: one poller calls it.
 */
final class CaFile {

    private final Path path;
    private final String label;
    private byte[] digest;

    CaFile(Path path, String flag) {
        this.path = path;
        this.label = "--" + flag + "=" + path;
    }

    String label() {
        return label;
    }

    /** Reads and parses the file. @throws RuntimeException (a TlsConfigurationException) saying why it cannot be used */
    List<X509Certificate> load() {
        byte[] content = PemFiles.read(path, label);
        List<X509Certificate> certs = PemFiles.parseCertificates(content, label);
        digest = sha256(content);
        return certs;
    }

    /** The new certificates if the content changed since the last successful read. */
    Optional<List<X509Certificate>> reloadIfChanged() {
        byte[] content = PemFiles.read(path, label);
        if (Arrays.equals(sha256(content), digest)) {
            return Optional.empty();
        }
        List<X509Certificate> certs = PemFiles.parseCertificates(content, label);
        digest = sha256(content);
        return Optional.of(certs);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
