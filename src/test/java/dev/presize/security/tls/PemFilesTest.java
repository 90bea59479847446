package dev.presize.security.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PemFilesTest {

    @TempDir
    Path dir;

    /** The four key encodings kube users hand us, as openssl writes them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "RSA PKCS#1 (RSA PRIVATE KEY)  | RSA PRIVATE KEY | openssl genrsa -traditional -out key.pem 2048",
            "EC SEC1 (EC PRIVATE KEY, with EC PARAMETERS) | EC PRIVATE KEY | openssl ecparam -name prime256v1 -genkey -out key.pem",
            "RSA PKCS#8 (PRIVATE KEY)      | PRIVATE KEY     | openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem",
            "EC PKCS#8 (PRIVATE KEY)       | PRIVATE KEY     | openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem",
    })
    void loadsEveryKeyEncoding(String name, String pemType, String command) throws Exception {
        TestPki.run(dir, false, command.split(" "));
        assertTrue(Files.readString(dir.resolve("key.pem")).contains("-----BEGIN " + pemType + "-----"));
        TestPki.selfSignedCert(dir, dir.resolve("key.pem"), dir.resolve("cert.pem"));

        ServingCertificate c = new ServingCertificateFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"), null).load();

        assertEquals("CN=presize-test", c.leaf().getSubjectX500Principal().getName());
        assertNotNull(c.caPem(), "a self-signed leaf is its own CA");
        KeyStore ks = c.toKeyStore("pw".toCharArray());
        assertNotNull(ks.getKey(ServingCertificate.ALIAS, "pw".toCharArray()));
    }

    @Test
    void chainFileKeepsOrderAndOffersTheRootAsCa() throws Exception {
        SelfSignedCertificates.Generated g = TestPki.writeGenerated(dir);
        ServingCertificate c = new ServingCertificateFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), null).load();
        assertEquals(2, c.chain().size());
        assertEquals(g.serving(), c.leaf());
        assertEquals(g.ca(), TestPki.certificates(c.caPem()).get(0));
    }

    @Test
    void leafWithoutItsRootHasNoCa() throws Exception {
        SelfSignedCertificates.Generated g = TestPki.writeGenerated(dir);
        Files.writeString(dir.resolve("leaf.crt"), PemFiles.encode(g.serving()));
        ServingCertificate c = new ServingCertificateFiles(dir.resolve("leaf.crt"), dir.resolve("tls.key"), null).load();
        assertNull(c.caPem());
    }

    @Test
    void missingFile() throws Exception {
        TestPki.writeGenerated(dir);
        assertEquals("--tls-private-key-file=" + dir.resolve("nope.key") + ": no such file",
                error(dir.resolve("tls.crt"), dir.resolve("nope.key")));
        assertEquals("--tls-cert-file=" + dir.resolve("nope.crt") + ": no such file",
                error(dir.resolve("nope.crt"), dir.resolve("tls.key")));
    }

    @Test
    void directoryInsteadOfFile() throws Exception {
        TestPki.writeGenerated(dir);
        assertEquals("--tls-cert-file=" + dir + ": is a directory, not a PEM file", error(dir, dir.resolve("tls.key")));
    }

    @Test
    void notPem() throws Exception {
        TestPki.writeGenerated(dir);
        Files.writeString(dir.resolve("junk"), "hello, I am not a certificate\n");
        assertEquals("--tls-cert-file=" + dir.resolve("junk") + ": is not a PEM file (no -----BEGIN line)",
                error(dir.resolve("junk"), dir.resolve("tls.key")));
        assertEquals("--tls-private-key-file=" + dir.resolve("junk") + ": is not a PEM file (no -----BEGIN line)",
                error(dir.resolve("tls.crt"), dir.resolve("junk")));
    }

    @Test
    void certificateWhereTheKeyShouldBeAndViceVersa() throws Exception {
        TestPki.writeGenerated(dir);
        assertTrue(error(dir.resolve("tls.crt"), dir.resolve("tls.crt")).endsWith(
                ": contains no PEM private key block (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)"));
        assertTrue(error(dir.resolve("tls.key"), dir.resolve("tls.key")).endsWith(": contains no PEM CERTIFICATE block"));
    }

    @Test
    void truncatedPem() throws Exception {
        TestPki.writeGenerated(dir);
        String crt = Files.readString(dir.resolve("tls.crt"));
        Files.writeString(dir.resolve("cut.crt"), crt.substring(0, crt.length() / 3));
        String message = error(dir.resolve("cut.crt"), dir.resolve("tls.key"));
        assertTrue(message.startsWith("--tls-cert-file=" + dir.resolve("cut.crt") + ": malformed PEM"), message);
    }

    @Test
    void encryptedKeys() throws Exception {
        TestPki.run(dir, false, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-aes256", "-pass", "pass:secret", "-out", "pkcs8.key");
        TestPki.run(dir, false, "openssl", "genrsa", "-traditional", "-aes256", "-passout", "pass:secret", "-out", "pkcs1.key", "2048");
        TestPki.writeGenerated(dir);
        for (String key : new String[] {"pkcs8.key", "pkcs1.key"}) {
            assertEquals("--tls-private-key-file=" + dir.resolve(key)
                            + ": the private key is encrypted; Presize needs an unencrypted key (the file is protected by its permissions)",
                    error(dir.resolve("tls.crt"), dir.resolve(key)));
        }
    }

    @Test
    void keyOfAnotherCertificate() throws Exception {
        TestPki.writeGenerated(dir);
        TestPki.run(dir, false, "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.key");
        TestPki.run(dir, false, "openssl", "genrsa", "-out", "rsa.key", "2048");
        for (String key : new String[] {"other.key", "rsa.key"}) {
            String message = error(dir.resolve("tls.crt"), dir.resolve(key));
            assertTrue(message.startsWith("--tls-private-key-file=" + dir.resolve(key) + ": the private key ("), message);
            assertTrue(message.contains(") does not match the certificate in --tls-cert-file=" + dir.resolve("tls.crt")), message);
        }
    }

    @Test
    void unreadableFile() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads anything");
        TestPki.writeGenerated(dir);
        Files.setPosixFilePermissions(dir.resolve("tls.key"), java.util.Set.of());
        assertEquals("--tls-private-key-file=" + dir.resolve("tls.key") + ": permission denied",
                error(dir.resolve("tls.crt"), dir.resolve("tls.key")));
    }

    @Test
    void onlyOneOfTheTwoFlags() {
        var certOnly = new TlsProperties("a.crt", null, "d", null, Duration.ofSeconds(1));
        var keyOnly = new TlsProperties(" ", "a.key", "d", null, Duration.ofSeconds(1));
        assertEquals("--tls-cert-file is set but --tls-private-key-file is not: give both or neither",
                assertThrows(TlsConfigurationException.class, certOnly::explicitFiles).getMessage());
        assertEquals("--tls-private-key-file is set but --tls-cert-file is not: give both or neither",
                assertThrows(TlsConfigurationException.class, keyOnly::explicitFiles).getMessage());
        assertNull(new TlsProperties(null, "", "d", null, null).explicitFiles());
    }

    @Test
    void writesKeysAsPkcs8() throws Exception {
        SelfSignedCertificates.Generated g = TestPki.writeGenerated(dir);
        String pem = Files.readString(dir.resolve("tls.key"), StandardCharsets.US_ASCII);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----"), pem);
        assertEquals(g.servingKey().getPrivate(), PemFiles.parsePrivateKey(pem.getBytes(StandardCharsets.US_ASCII), "k"));
    }

    private static String error(Path cert, Path key) {
        return assertThrows(TlsConfigurationException.class, () -> new ServingCertificateFiles(cert, key, null).load()).getMessage();
    }
}
