package dev.presize.security.tls;

import dev.presize.security.SecretVolume;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server on a random port with certificate files laid out as a Kubernetes Secret volume
 * ({@code tls.crt -> ..data/tls.crt}, {@code ..data -> ..<timestamp>}), checked with plain JDK
 * clients and openssl.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsServerTest {

    private Path dir;

    private EmbeddedServer server;
    private SelfSignedCertificates.Generated first;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        authentication = authentication(dir.resolve("auth"));
        first = mountSecret(dir.resolve("secret"), "..2026_01");
        server = startServer(Map.of(
                "presize.tls-cert-file", dir.resolve("secret/tls.crt").toString(),
                "presize.tls-private-key-file", dir.resolve("secret/tls.key").toString()));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }

    EmbeddedServer startServer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(Map.of(
                "micronaut.server.ssl.port", -1,
                "presize.bind-address", "127.0.0.1",
                "presize.tls-reload-interval", "100ms"));
        props.putAll(authentication);
        props.putAll(extra);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    private Map<String, Object> authentication;

    /**
     * These tests are about TLS, not authentication: a client CA nobody here holds, no ConfigMap
     * lookup, a Kubernetes API that is never called, and every non-resource path allowed, so an
     * anonymous request for an unknown path gets its 404. The files lie in the class's temporary
     * directory, which JUnit removes after the last test.
     */
    private static Map<String, Object> authentication(Path d) throws IOException {
        Files.createDirectories(d);
        Path ca = d.resolve("client-ca.crt");
        Files.writeString(ca, PemFiles.encode(SelfSignedCertificates.generate(List.of("nobody"), Instant.now()).ca()));
        Path kubeconfig = d.resolve("unused.kubeconfig");
        Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:9\n"
                + "users:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n");
        return Map.of(
                "presize.kubeconfig", kubeconfig.toString(),
                "presize.authentication-skip-lookup", "true",
                "presize.client-ca-file", ca.toString(),
                "presize.authorization-always-allow-paths", "/*");
    }

    @Test
    void http2OverAlpnWithTheServingCertificate() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TestPki.trusting(first.ca())).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.getPort() + "/no-such-path")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(HttpClient.Version.HTTP_2, r.version());
        assertEquals(404, r.statusCode(), "an unknown path is a 404 Status");
        assertEquals(first.serving(), r.sslSession().orElseThrow().getPeerCertificates()[0]);
    }

    @Test
    void alpnOffersH2AndHttp11AndTls13() throws Exception {
        try (SSLSocket s = handshake(TestPki.trusting(first.ca()), List.of("h2", "http/1.1"), null)) {
            assertEquals("h2", s.getApplicationProtocol());
            assertEquals("TLSv1.3", s.getSession().getProtocol());
        }
        try (SSLSocket s = handshake(TestPki.trusting(first.ca()), List.of("http/1.1"), null)) {
            assertEquals("http/1.1", s.getApplicationProtocol());
            assertTrue(httpGet(s).startsWith("HTTP/1.1 404"));
        }
        try (SSLSocket s = handshake(TestPki.trusting(first.ca()), List.of("h2"), new String[] {"TLSv1.2"})) {
            assertEquals("TLSv1.2", s.getSession().getProtocol());
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        // The JDK client cannot even offer TLS 1.1 any more, so ask openssl (allowing it on our side).
        String connect = "127.0.0.1:" + server.getPort();
        TestPki.Result v12 = TestPki.run(dir, true, "openssl", "s_client", "-connect", connect, "-tls1_2", "-brief");
        assertTrue(v12.output().contains("Protocol version: TLSv1.2"), v12.output());
        TestPki.Result v11 = TestPki.run(dir, true, "openssl", "s_client", "-connect", connect, "-tls1_1",
                "-cipher", "DEFAULT:@SECLEVEL=0", "-brief");
        assertNotEquals(0, v11.exit(), v11.output());
        assertFalse(v11.output().contains("Protocol version: TLSv1.1"), v11.output());
        assertFalse(v11.output().contains("no protocols available"), "openssl must have offered TLS 1.1:\n" + v11.output());
    }

    @Test
    void plainHttpGetsNoHttpAnswer() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", server.getPort()), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /no-such-path HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer;
            try {
                answer = new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                answer = "";
            }
            assertFalse(answer.startsWith("HTTP/"), "plain HTTP must not be served, got " + answer);
        }
        HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> plain.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + "/no-such-path")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void clientCertificateIsRequestedButNotVerifiedAtTheHandshake() throws Exception {
        // A client certificate from a CA the server has never heard of: kube-apiserver lets the
        // handshake through and leaves the verdict to authentication, and so must we.
        SelfSignedCertificates.Generated stranger = SelfSignedCertificates.generate(List.of("someone"), Instant.now());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", stranger.servingKey().getPrivate(), "pw".toCharArray(), new Certificate[] {stranger.serving(), stranger.ca()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
        kmf.init(ks, "pw".toCharArray());
        AtomicBoolean asked = new AtomicBoolean();
        RecordingKeyManager km = new RecordingKeyManager((X509KeyManager) kmf.getKeyManagers()[0], asked);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new javax.net.ssl.KeyManager[] {km}, trustManagers(first.ca()), null);
        for (String version : new String[] {"TLSv1.3", "TLSv1.2"}) {
            asked.set(false);
            try (SSLSocket s = handshake(ctx, List.of("http/1.1"), new String[] {version})) {
                // Authentication then verifies it against the client CA and answers 401, as kube-apiserver does.
                String answer = httpGet(s);
                assertTrue(answer.startsWith("HTTP/1.1 401"), "request answered after presenting the certificate: " + answer);
                assertTrue(asked.get(), version + ": the server asked for a client certificate");
            }
        }
    }

    @Test
    void newCertificateIsServedAfterTheSecretIsUpdated() throws Exception {
        // Own server: this test swaps the files.
        Path secret = dir.resolve("reloading");
        SelfSignedCertificates.Generated before = mountSecret(secret, "..2026_01");
        try (ApplicationContext ctx = startServer(Map.of(
                "presize.tls-cert-file", secret.resolve("tls.crt").toString(),
                "presize.tls-private-key-file", secret.resolve("tls.key").toString())).getApplicationContext()) {
            int port = ctx.getBean(EmbeddedServer.class).getPort();
            assertEquals(before.serving(), peerCertificate(port, before.ca(), before.ca()));

            // A half-done update (new certificate, old key) is ignored: the old one stays.
            Files.writeString(secret.resolve("..2026_01/tls.crt"), PemFiles.encode(
                    SelfSignedCertificates.generate(List.of("localhost"), Instant.now()).serving()));
            Thread.sleep(500);
            assertEquals(before.serving(), peerCertificate(port, before.ca(), before.ca()));

            SelfSignedCertificates.Generated after = mountSecret(secret, "..2026_02");
            Instant deadline = Instant.now().plusSeconds(30);
            X509Certificate seen = null;
            while (Instant.now().isBefore(deadline)) {
                seen = peerCertificate(port, before.ca(), after.ca());
                if (seen.equals(after.serving())) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals(after.serving(), seen, "new connections get the new certificate");
            assertEquals(PemFiles.encode(after.ca()), ctx.getBean(ServingCertificateProvider.class).caPem().orElseThrow());
        }
    }

    @Test
    void generatesASelfSignedCertificateWithoutFiles() throws Exception {
        Path certDir = dir.resolve("generated");
        try (ApplicationContext ctx = startServer(Map.of("presize.cert-dir", certDir.toString(), "presize.tls-sans", "presize.test, 10.9.8.7"))
                .getApplicationContext()) {
            String caPem = ctx.getBean(ServingCertificateProvider.class).caPem().orElseThrow();
            assertEquals(Files.readString(certDir.resolve("ca.crt")), caPem);
            X509Certificate ca = TestPki.certificates(caPem).get(0);
            X509Certificate leaf = peerCertificate(ctx.getBean(EmbeddedServer.class).getPort(), ca, ca);
            assertTrue(SelfSignedCertificates.subjectAltNames(leaf).containsAll(List.of("localhost", "presize.test", "10.9.8.7")));
        }
    }

    @Test
    void badFlagsStopTheServerWithTheirMessage() throws Exception {
        Path missing = dir.resolve("missing.crt");
        Throwable e = assertThrows(Throwable.class, () -> startServer(Map.of(
                "presize.tls-cert-file", missing.toString(), "presize.tls-private-key-file", dir.resolve("secret/tls.key").toString())));
        assertEquals("--tls-cert-file=" + missing + ": no such file",
                TlsConfigurationException.find(e).orElseThrow(() -> new AssertionError(e)).getMessage());
        Throwable one = assertThrows(Throwable.class, () -> startServer(Map.of("presize.tls-cert-file", missing.toString())));
        assertEquals("--tls-cert-file is set but --tls-private-key-file is not: give both or neither",
                TlsConfigurationException.find(one).orElseThrow(() -> new AssertionError(one)).getMessage());
    }

    /** Writes a new certificate into {@code secret/<version>} and points the Secret-style symlinks at it. */
    private static SelfSignedCertificates.Generated mountSecret(Path secret, String version) throws Exception {
        SelfSignedCertificates.Generated g = TestPki.writeGenerated(secret.resolve(version));
        SecretVolume.link(secret, version, List.of("tls.crt", "tls.key"));
        return g;
    }

    /** The leaf certificate a fresh connection (no session reuse) is served. */
    private static X509Certificate peerCertificate(int port, X509Certificate... trusted) throws Exception {
        try (SSLSocket s = handshakeOn(port, TestPki.trusting(trusted), List.of("http/1.1"), null)) {
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private SSLSocket handshake(SSLContext ctx, List<String> alpn, String[] protocols) throws IOException {
        return handshakeOn(server.getPort(), ctx, alpn, protocols);
    }

    private static SSLSocket handshakeOn(int port, SSLContext ctx, List<String> alpn, String[] protocols) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(10_000);
        var params = s.getSSLParameters();
        params.setApplicationProtocols(alpn.toArray(new String[0]));
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setServerNames(List.of());
        if (protocols != null) {
            params.setProtocols(protocols);
        }
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }

    private static String httpGet(SSLSocket s) throws IOException {
        s.getOutputStream().write("GET /no-such-path HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        return new String(in.readNBytes(12), StandardCharsets.US_ASCII);
    }

    private static javax.net.ssl.TrustManager[] trustManagers(X509Certificate ca) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("ca", ca);
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        return tmf.getTrustManagers();
    }

    /** Notes that the server asked for a client certificate, then presents ours. */
    private static final class RecordingKeyManager extends X509ExtendedKeyManager {
        private final X509KeyManager delegate;
        private final AtomicBoolean asked;

        RecordingKeyManager(X509KeyManager delegate, AtomicBoolean asked) {
            this.delegate = delegate;
            this.asked = asked;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, javax.net.ssl.SSLEngine engine) {
            asked.set(true);
            return "me";
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            asked.set(true);
            return "me";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }
    }
}
