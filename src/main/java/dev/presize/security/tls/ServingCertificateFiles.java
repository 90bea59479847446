package dev.presize.security.tls;

import io.micronaut.core.annotation.Nullable;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * Where the serving certificate lives on disk: the files given with {@code --tls-cert-file} /
 * {@code --tls-private-key-file}, or the ones generated into {@code --cert-dir} (which also hold
 * the CA in {@code ca.crt}).
 *
 * @param certFile  PEM certificate chain, leaf first
 * @param keyFile   PEM private key
 * @param caFile    PEM CA certificate of a generated certificate, {@code null} for given files
 */
record ServingCertificateFiles(Path certFile, Path keyFile, @Nullable Path caFile) {

    /** The raw bytes read in one go, so that what is hashed is exactly what is parsed. */
    record Contents(byte[] cert, byte[] key, byte @Nullable [] ca) {
        /** SHA-256 over all files: compared between polls to notice any change, symlink swaps included. */
        String digest() {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(cert);
                md.update((byte) 0);
                md.update(key);
                md.update((byte) 0);
                if (ca != null) {
                    md.update(ca);
                }
                return HexFormat.of().formatHex(md.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    String certLabel() {
        return caFile == null ? "--tls-cert-file=" + certFile : "generated certificate " + certFile;
    }

    String keyLabel() {
        return caFile == null ? "--tls-private-key-file=" + keyFile : "generated private key " + keyFile;
    }

    Contents read() {
        byte[] cert = PemFiles.read(certFile, certLabel());
        byte[] key = PemFiles.read(keyFile, keyLabel());
        byte[] ca = caFile == null ? null : PemFiles.read(caFile, "generated CA " + caFile);
        return new Contents(cert, key, ca);
    }

    ServingCertificate parse(Contents contents) {
        List<X509Certificate> chain = PemFiles.parseCertificates(contents.cert(), certLabel());
        PrivateKey key = PemFiles.parsePrivateKey(contents.key(), keyLabel());
        if (!ServingCertificate.keyMatches(key, chain.get(0))) {
            throw new TlsConfigurationException(keyLabel() + ": the private key (" + key.getAlgorithm()
                    + ") does not match the certificate in " + certLabel() + " (subject "
                    + chain.get(0).getSubjectX500Principal().getName() + ")");
        }
        String caPem;
        if (contents.ca() != null) {
            String label = "generated CA " + caFile;
            PemFiles.parseCertificates(contents.ca(), label); // must at least parse
            caPem = new String(contents.ca(), java.nio.charset.StandardCharsets.US_ASCII);
        } else {
            X509Certificate root = ServingCertificate.selfSignedRoot(chain);
            caPem = root == null ? null : PemFiles.encode(root);
        }
        return new ServingCertificate(key, chain, caPem);
    }

    ServingCertificate load() {
        return parse(read());
    }
}
