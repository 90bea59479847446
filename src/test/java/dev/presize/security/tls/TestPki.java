package dev.presize.security.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Helpers shared by the TLS tests: openssl, PEM files and client SSL contexts. */
final class TestPki {

    private TestPki() {
    }

    /** Runs a command, returns its combined output; fails the test on a non-zero exit unless {@code mayFail}. */
    static Result run(Path dir, boolean mayFail, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        Result r = new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        if (!mayFail && r.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exit() + ":\n" + r.output());
        }
        return r;
    }

    record Result(int exit, String output) {
    }

    /** A self-signed certificate for {@code localhost} / {@code 127.0.0.1} with the key in {@code keyFile}. */
    static void selfSignedCert(Path dir, Path keyFile, Path certFile) throws IOException, InterruptedException {
        run(dir, false, "openssl", "req", "-x509", "-new", "-key", keyFile.toString(), "-subj", "/CN=presize-test",
                "-days", "2", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-out", certFile.toString());
    }

    /** Writes a freshly generated CA + serving certificate as {@code tls.crt} / {@code tls.key} into {@code dir}. */
    static SelfSignedCertificates.Generated writeGenerated(Path dir) throws IOException {
        SelfSignedCertificates.Generated g = SelfSignedCertificates.generate(SelfSignedCertificates.DEFAULT_SANS, Instant.now());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tls.crt"), PemFiles.encode(g.serving(), g.ca()));
        Files.writeString(dir.resolve("tls.key"), PemFiles.encode(g.servingKey().getPrivate()));
        return g;
    }

    static List<X509Certificate> certificates(String pem) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (var c : cf.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    /** A client SSLContext that trusts exactly the given CA certificates. */
    static SSLContext trusting(X509Certificate... cas) throws Exception {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        for (int i = 0; i < cas.length; i++) {
            ts.setCertificateEntry("ca" + i, cas[i]);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
