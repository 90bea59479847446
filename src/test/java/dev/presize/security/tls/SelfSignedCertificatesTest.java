package dev.presize.security.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelfSignedCertificatesTest {

    @TempDir
    Path dir;

    private final List<String> sans = SelfSignedCertificates.sans(List.of("presize.presize-system.svc", "10.0.0.7"));

    @Test
    void generatesCaAndServingCertificate() throws Exception {
        Path certDir = dir.resolve("certificates");
        ServingCertificateFiles files = SelfSignedCertificates.ensure(certDir, sans, Instant.now());

        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(files.keyFile()));
        ServingCertificate c = files.load();
        X509Certificate ca = TestPki.certificates(Files.readString(files.caFile())).get(0);
        assertEquals(List.of(c.leaf(), ca), c.chain(), "apiserver.crt holds the serving certificate then the CA");
        c.leaf().verify(ca.getPublicKey());
        ca.verify(ca.getPublicKey());
        assertEquals(0, ca.getBasicConstraints() < 0 ? 1 : 0, "the CA is a CA");
        assertEquals(-1, c.leaf().getBasicConstraints(), "the leaf is not a CA");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), c.leaf().getExtendedKeyUsage(), "serverAuth");
        assertEquals("EC", c.leaf().getPublicKey().getAlgorithm());
        assertEquals(Set.of("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "presize.presize-system.svc", "10.0.0.7"),
                SelfSignedCertificates.subjectAltNames(c.leaf()));
        Duration validity = Duration.between(c.leaf().getNotBefore().toInstant(), c.leaf().getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 364 && validity.toDays() <= 366, validity.toString());
        assertEquals(Files.readString(files.caFile()), c.caPem());
        try (Stream<Path> left = Files.list(certDir)) {
            assertEquals(Set.of("apiserver.crt", "apiserver.key", "ca.crt", ".lock"),
                    Set.copyOf(left.map(p -> p.getFileName().toString()).toList()), "no temporary files left");
        }
        // openssl agrees: the chain verifies and the names match.
        TestPki.run(certDir, false, "openssl", "verify", "-CAfile", "ca.crt", "-verify_hostname", "presize.presize-system.svc", "apiserver.crt");
    }

    @Test
    void reusesGoodFiles() throws Exception {
        ServingCertificateFiles files = SelfSignedCertificates.ensure(dir, sans, Instant.now());
        byte[] before = Files.readAllBytes(files.certFile());
        SelfSignedCertificates.ensure(dir, sans, Instant.now().plus(Duration.ofDays(300)));
        SelfSignedCertificates.ensure(dir, List.of("localhost"), Instant.now());
        assertArrayEquals(before, Files.readAllBytes(files.certFile()));
    }

    @Test
    void regeneratesWhenExpiringSoon() throws Exception {
        Instant now = Instant.now();
        ServingCertificateFiles files = SelfSignedCertificates.ensure(dir, sans, now);
        Instant later = now.plus(Duration.ofDays(340));
        assertTrue(SelfSignedCertificates.whyNotReusable(files, sans, later).startsWith("it expires "));
        assertRegenerated(files, () -> SelfSignedCertificates.ensure(dir, sans, later));
    }

    @Test
    void regeneratesForNewNames() throws Exception {
        ServingCertificateFiles files = SelfSignedCertificates.ensure(dir, sans, Instant.now());
        List<String> more = SelfSignedCertificates.sans(List.of("presize.example.com"));
        assertEquals("it does not cover [presize.example.com]", SelfSignedCertificates.whyNotReusable(files, more, Instant.now()));
        assertRegenerated(files, () -> SelfSignedCertificates.ensure(dir, more, Instant.now()));
        assertTrue(SelfSignedCertificates.subjectAltNames(files.load().leaf()).contains("presize.example.com"));
    }

    @Test
    void regeneratesBrokenOrMismatchedFiles() throws Exception {
        ServingCertificateFiles files = SelfSignedCertificates.ensure(dir, sans, Instant.now());
        Files.writeString(files.keyFile(), PemFiles.encode(SelfSignedCertificates.generate(sans, Instant.now()).servingKey().getPrivate()));
        assertTrue(SelfSignedCertificates.whyNotReusable(files, sans, Instant.now()).contains("does not match"));
        assertRegenerated(files, () -> SelfSignedCertificates.ensure(dir, sans, Instant.now()));

        Files.writeString(files.certFile(), "garbage");
        assertRegenerated(files, () -> SelfSignedCertificates.ensure(dir, sans, Instant.now()));
        assertNull(SelfSignedCertificates.whyNotReusable(files, sans, Instant.now()));
    }

    @Test
    void regeneratesWhenTheCaFileIsNotTheSigner() throws Exception {
        ServingCertificateFiles files = SelfSignedCertificates.ensure(dir, sans, Instant.now());
        Files.writeString(files.caFile(), PemFiles.encode(SelfSignedCertificates.generate(sans, Instant.now()).ca()));
        assertEquals("the certificate is not signed by " + files.caFile(), SelfSignedCertificates.whyNotReusable(files, sans, Instant.now()));
    }

    @Test
    void unwritableCertDirIsAClearError() throws Exception {
        Files.writeString(dir.resolve("file"), "x");
        Path certDir = dir.resolve("file").resolve("certs");
        String message = assertThrows(TlsConfigurationException.class,
                () -> SelfSignedCertificates.ensure(certDir, sans, Instant.now())).getMessage();
        assertTrue(message.startsWith("--cert-dir=" + certDir + ": cannot write the generated certificate"), message);
    }

    @Test
    void invalidIpInSans() {
        assertThrows(TlsConfigurationException.class, () -> SelfSignedCertificates.ipLiteral("300.1.2.3"));
        assertEquals("10.1.2.3", SelfSignedCertificates.ipLiteral("10.1.2.3"));
        assertEquals("0:0:0:0:0:0:0:1", SelfSignedCertificates.ipLiteral("::1"));
        assertNull(SelfSignedCertificates.ipLiteral("presize.presize-system.svc"));
    }

    @Test
    void atomicWriteReplacesWholeFilesAndLeavesNoTemporaries() throws Exception {
        Path target = dir.resolve("apiserver.key");
        AtomicFiles.write(target, "old".getBytes(), true);
        AtomicFiles.write(target, "new content".getBytes(), true);
        assertEquals("new content", Files.readString(target));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(target));
        AtomicFiles.write(dir.resolve("ca.crt"), "ca".getBytes(), false);
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), Files.getPosixFilePermissions(dir.resolve("ca.crt")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of("apiserver.key", "ca.crt"), Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
        }
    }

    @Test
    void failedAtomicWriteKeepsTheOldFile() throws Exception {
        // The rename cannot replace a non-empty directory: the write fails after the temporary
        // file was fully written, and must clean it up and leave the target as it was.
        Path target = dir.resolve("apiserver.crt");
        Files.createDirectories(target.resolve("occupied"));
        assertThrows(IOException.class, () -> AtomicFiles.write(target, "new".getBytes(), false));
        assertTrue(Files.isDirectory(target.resolve("occupied")));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("apiserver.crt"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static void assertRegenerated(ServingCertificateFiles files, ThrowingRunnable ensure) throws Exception {
        byte[] before = Files.readAllBytes(files.certFile());
        ensure.run();
        assertFalse(java.util.Arrays.equals(before, Files.readAllBytes(files.certFile())), "expected new files");
        files.load();
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
