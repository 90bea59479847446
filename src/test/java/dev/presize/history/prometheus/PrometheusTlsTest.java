package dev.presize.history.prometheus;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An https Prometheus: trusted through --prometheus-ca-file, or not verified at all with --prometheus-insecure-skip-verify. */
class PrometheusTlsTest {

    private static final String EMPTY_MATRIX = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}";

    @TempDir
    static Path dir;

    /** A CA, and a serving certificate it signed for {@code sans}, as PKCS#12 for the JDK server. */
    private static SSLContext serverContext(String name, String sans) throws Exception {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + "-ca.key",
                "-out", name + "-ca.crt", "-subj", "/CN=" + name + "-ca", "-days", "2");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
                "-out", name + ".csr", "-subj", "/CN=prometheus");
        Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + sans + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", name + "-ca.crt", "-CAkey", name + "-ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
        openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out", name + ".p12", "-passout", "pass:test");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            ks.load(in, "test".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "test".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ":\n" + out);
    }

    private static SSLContext matching;
    private static SSLContext otherName;

    @BeforeAll
    static void certificates() throws Exception {
        matching = serverContext("good", "DNS:localhost,IP:127.0.0.1");
        otherName = serverContext("other", "DNS:prometheus.example");
    }

    private static PrometheusClient client(FakePrometheus fake, String caFile, boolean insecure) {
        return new PrometheusClient(PrometheusSettings.fromFlags(fake.url().toString(), null, caFile, insecure, null,
                Duration.ofSeconds(5)), Duration.ofMillis(10));
    }

    @Test
    void aServerSignedByTheCaFileIsTrusted() throws Exception {
        try (FakePrometheus fake = new FakePrometheus(matching)) {
            fake.handler((r, i) -> FakePrometheus.Response.json(200, EMPTY_MATRIX));
            assertEquals(List.of(), client(fake, dir.resolve("good-ca.crt").toString(), false).queryRange("up", 0, 3600, 3600));
        }
    }

    @Test
    void anUntrustedServerOrHostNameFailsAtOnceUnlessVerificationIsOff() throws Exception {
        try (FakePrometheus fake = new FakePrometheus(otherName)) {
            fake.handler((r, i) -> FakePrometheus.Response.json(200, EMPTY_MATRIX));
            // Signed by a CA we do not know (the JVM's trust store):
            PrometheusClient noCa = client(fake, null, false);
            PrometheusException e = assertThrows(PrometheusException.class, () -> noCa.queryRange("up", 0, 3600, 3600));
            assertTrue(e.getMessage().contains(": TLS: "), e.getMessage());
            assertEquals(1, noCa.requests());
            // Known CA, but the certificate is for prometheus.example, not 127.0.0.1:
            PrometheusClient wrongName = client(fake, dir.resolve("other-ca.crt").toString(), false);
            e = assertThrows(PrometheusException.class, () -> wrongName.queryRange("up", 0, 3600, 3600));
            assertTrue(e.getMessage().contains(": TLS: "), e.getMessage());
            // Verification off: both accepted.
            assertEquals(List.of(), client(fake, null, true).queryRange("up", 0, 3600, 3600));
            assertEquals(1, fake.requests.size(), "only the unverifying client got past the handshake");
        }
    }

    @Test
    void aCaFileWithoutCertificatesIsAStartupError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        try (FakePrometheus fake = new FakePrometheus(matching)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client(fake, empty.toString(), false));
            assertTrue(e.getMessage().startsWith("--prometheus-ca-file " + empty), e.getMessage());
        }
    }
}
