package dev.presize.security.tls;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The fallback when no certificate files are given, as kube's generic apiserver does it: a
 * throw-away CA (its key is never written) signs a serving certificate for localhost plus
 * {@code --tls-sans}; {@code apiserver.crt} (leaf + CA), {@code apiserver.key} and {@code ca.crt}
 * go into {@code --cert-dir} and are reused by the next start while still good.
 */
final class SelfSignedCertificates {

    static final String CERT_FILE = "apiserver.crt";
    static final String KEY_FILE = "apiserver.key";
    static final String CA_FILE = "ca.crt";
    static final List<String> DEFAULT_SANS = List.of("localhost", "127.0.0.1", "::1");
    static final Duration VALIDITY = Duration.ofDays(365);
    /** Regenerate rather than reuse when less than this is left. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Backdating tolerates clocks of clients that are a little behind. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(SelfSignedCertificates.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(%\\w+)?]?");

    /** A generated serving certificate and its CA. */
    record Generated(KeyPair servingKey, X509Certificate serving, X509Certificate ca) {
    }

    private SelfSignedCertificates() {
    }

    static ServingCertificateFiles files(Path dir) {
        return new ServingCertificateFiles(dir.resolve(CERT_FILE), dir.resolve(KEY_FILE), dir.resolve(CA_FILE));
    }

    /** {@link #DEFAULT_SANS} plus {@code extra}, without duplicates. */
    static List<String> sans(List<String> extra) {
        LinkedHashSet<String> all = new LinkedHashSet<>(DEFAULT_SANS);
        all.addAll(extra);
        return List.copyOf(all);
    }

    /**
     * Makes sure {@code dir} holds a usable generated certificate for {@code sans}: reuses what is
     * there if it parses, the key matches, the CA signed it, it covers the names and is not about
     * to expire; otherwise generates and writes a new CA and certificate.
     */
    static ServingCertificateFiles ensure(Path dir, List<String> sans, Instant now) {
        ServingCertificateFiles files = files(dir);
        try {
            Files.createDirectories(dir);
            // Two processes sharing a cert dir must not interleave their writes.
            try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                String why = whyNotReusable(files, sans, now);
                if (why == null) {
                    LOG.info("Reusing the self-signed serving certificate in {}", dir);
                    return files;
                }
                LOG.info("Generating a self-signed serving certificate in {} for {} ({})", dir, sans, why);
                write(files, generate(sans, now));
                return files;
            }
        } catch (IOException e) {
            throw new TlsConfigurationException("--cert-dir=" + dir + ": cannot write the generated certificate: " + e, e);
        }
    }

    /** {@code null} if the files in {@code files} can be reused, else the reason why not. */
    static String whyNotReusable(ServingCertificateFiles files, List<String> sans, Instant now) {
        if (!Files.exists(files.certFile()) && !Files.exists(files.keyFile())) {
            return "none yet";
        }
        ServingCertificate current;
        try {
            current = files.load();
        } catch (TlsConfigurationException e) {
            return e.getMessage();
        }
        X509Certificate leaf = current.leaf();
        try {
            X509Certificate ca = PemFiles.parseCertificates(current.caPem().getBytes(StandardCharsets.US_ASCII), "ca").get(0);
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return "the certificate is not signed by " + files.caFile();
        }
        if (leaf.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return "it expires " + leaf.getNotAfter().toInstant();
        }
        if (leaf.getNotBefore().toInstant().isAfter(now)) {
            return "it is not valid before " + leaf.getNotBefore().toInstant();
        }
        Set<String> missing = new HashSet<>(normalized(sans));
        missing.removeAll(subjectAltNames(leaf));
        return missing.isEmpty() ? null : "it does not cover " + missing;
    }

    static Generated generate(List<String> sans, Instant now) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair caKey = gen.generateKeyPair();
            KeyPair servingKey = gen.generateKeyPair();
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            Date notBefore = Date.from(now.minus(BACKDATE));
            Date notAfter = Date.from(now.plus(VALIDITY));
            String host = sans.isEmpty() ? "localhost" : sans.get(0);

            X500Name caName = new X500Name("CN=presize-ca@" + now.getEpochSecond());
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), notBefore, notAfter, caName, caKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKey.getPublic()));
            X509Certificate caCert = sign(ca, caKey);

            X509v3CertificateBuilder leaf = new JcaX509v3CertificateBuilder(caCert, serial(), notBefore, notAfter,
                    new X500Name("CN=" + host + "@" + now.getEpochSecond()), servingKey.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false, generalNames(sans))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(servingKey.getPublic()));
            return new Generated(servingKey, sign(leaf, caKey), caCert);
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate", e);
        }
    }

    static void write(ServingCertificateFiles files, Generated g) throws IOException {
        // CA first and certificate last: a reader that polls in between sees a key that does not
        // match the old certificate, refuses it and retries; it never sees a torn file.
        AtomicFiles.write(files.caFile(), PemFiles.encode(g.ca()).getBytes(StandardCharsets.US_ASCII), false);
        AtomicFiles.write(files.keyFile(), PemFiles.encode(g.servingKey().getPrivate()).getBytes(StandardCharsets.US_ASCII), true);
        AtomicFiles.write(files.certFile(), PemFiles.encode(g.serving(), g.ca()).getBytes(StandardCharsets.US_ASCII), false);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }

    private static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
    }

    private static GeneralNames generalNames(List<String> sans) {
        List<GeneralName> names = new ArrayList<>();
        for (String san : sans) {
            String ip = ipLiteral(san);
            names.add(ip != null ? new GeneralName(GeneralName.iPAddress, ip) : new GeneralName(GeneralName.dNSName, san));
        }
        return new GeneralNames(names.toArray(new GeneralName[0]));
    }

    /** The canonical text of {@code s} if it is an IP address literal, else {@code null} (never a DNS lookup). */
    static String ipLiteral(String s) {
        if (!IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s.replace("[", "").replace("]", "")).getHostAddress();
        } catch (UnknownHostException e) {
            throw new TlsConfigurationException("--tls-sans: " + s + " is not a valid IP address");
        }
    }

    private static Set<String> normalized(Collection<String> sans) {
        Set<String> out = new HashSet<>();
        for (String s : sans) {
            String ip = ipLiteral(s);
            out.add(ip != null ? ip : s.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** DNS names (lower case) and IP addresses (canonical) of {@code cert}. */
    static Set<String> subjectAltNames(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.get(1) instanceof String value && ((Integer) san.get(0) == 2 || (Integer) san.get(0) == 7)) {
                        names.add(value);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return normalized(names);
    }
}
