package dev.presize.security;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** CAs and client certificates for the authentication tests, made with BouncyCastle. */
public final class TestCertificates {

    /** What extended key usage a certificate states. */
    public enum Usage { CLIENT_AUTH, SERVER_AUTH_ONLY, NONE }

    /** A key and its certificate chain (leaf first, its CA last). */
    public record Issued(KeyPair key, List<X509Certificate> chain) {
        public X509Certificate leaf() {
            return chain.get(0);
        }

        /** A client TLS context presenting this certificate and trusting {@code serverCa}. */
        public SSLContext clientContext(X509Certificate serverCa) {
            return TestCertificates.clientContext(this, serverCa);
        }

        public String certPem() {
            return pem(chain.toArray());
        }

        /** Writes key and chain as a PKCS#12 key store (e.g. for WireMock's HTTPS) and returns {@code file}. */
        public Path writePkcs12(Path file, String password) {
            try (OutputStream out = Files.newOutputStream(file)) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("serving", key.getPrivate(), password.toCharArray(), chain.toArray(new Certificate[0]));
                ks.store(out, password.toCharArray());
                return file;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** PKCS#8, which every client (Go's crypto/tls too) reads. */
        public String keyPem() {
            try {
                return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key.getPrivate(), null).generate());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A CA that can issue certificates. */
    public record Ca(KeyPair key, X509Certificate cert) {
        public Issued issue(String cn, List<String> organizations, Usage usage, Instant notBefore, Instant notAfter) {
            return TestCertificates.issue(this, cn, organizations, usage, notBefore, notAfter);
        }

        public Issued client(String cn, String... organizations) {
            Instant now = Instant.now();
            return issue(cn, List.of(organizations), Usage.CLIENT_AUTH, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
        }

        public String pem() {
            return TestCertificates.pem(cert);
        }

        /** A serving certificate for 127.0.0.1 (an IP SAN, which clients verify the address against). */
        public Issued loopbackServer() {
            Instant now = Instant.now();
            return TestCertificates.issue(this, "127.0.0.1", List.of(), Usage.SERVER_AUTH_ONLY, now.minus(Duration.ofHours(1)),
                    now.plus(Duration.ofDays(1)), new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        }
    }

    private TestCertificates() {
    }

    public static Ca ca(String name) {
        try {
            KeyPair key = keyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=" + name);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(30))), subject, key.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            return new Ca(key, sign(b, key));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Issued issue(Ca ca, String cn, List<String> organizations, Usage usage, Instant notBefore, Instant notAfter) {
        return issue(ca, cn, organizations, usage, notBefore, notAfter, null);
    }

    private static Issued issue(Ca ca, String cn, List<String> organizations, Usage usage, Instant notBefore, Instant notAfter,
                                GeneralNames sans) {
        try {
            KeyPair key = keyPair();
            X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
            for (String o : organizations) {
                name.addRDN(BCStyle.O, o);
            }
            name.addRDN(BCStyle.CN, cn);
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.cert(), serial(), Date.from(notBefore), Date.from(notAfter),
                    name.build(), key.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            if (usage == Usage.CLIENT_AUTH) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            } else if (usage == Usage.SERVER_AUTH_ONLY) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            }
            if (sans != null) {
                b.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            return new Issued(key, List.of(sign(b, ca.key()), ca.cert()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trusts {@code serverCa}; presents {@code identity} when it is not null. */
    public static SSLContext clientContext(Issued identity, X509Certificate serverCa) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server-ca", serverCa);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.KeyManager[] keys = null;
            if (identity != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("me", identity.key().getPrivate(), "pw".toCharArray(), identity.chain().toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
                kmf.init(ks, "pw".toCharArray());
                keys = kmf.getKeyManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    public static List<X509Certificate> chain(Issued i) {
        return new ArrayList<>(i.chain());
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        return gen.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
    }
}
