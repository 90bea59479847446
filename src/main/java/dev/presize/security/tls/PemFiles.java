package dev.presize.security.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the PEM files of a serving certificate. Every failure is a
 * {@link TlsConfigurationException} whose message starts with the given label (flag and file).
 */
public final class PemFiles {

    private PemFiles() {
    }

    /** The bytes of {@code file}, or an error that says why they cannot be had. */
    public static byte[] read(Path file, String label) {
        if (Files.isDirectory(file)) {
            throw new TlsConfigurationException(label + ": is a directory, not a PEM file");
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsConfigurationException(label + ": no such file");
        } catch (AccessDeniedException e) {
            throw new TlsConfigurationException(label + ": permission denied");
        } catch (IOException e) {
            throw new TlsConfigurationException(label + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** All certificates in the PEM text, in file order (leaf first for a serving chain). */
    public static List<X509Certificate> parseCertificates(byte[] pem, String label) {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : parse(pem, label)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    certs.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsConfigurationException(label + ": invalid certificate: " + e.getMessage(), e);
                }
            }
        }
        if (certs.isEmpty()) {
            throw new TlsConfigurationException(label + ": " + (looksLikePem(pem)
                    ? "contains no PEM CERTIFICATE block" : "is not a PEM file (no -----BEGIN line)"));
        }
        return certs;
    }

    /** The first private key in the PEM text: PKCS#1 RSA, SEC1 EC or PKCS#8, not encrypted. */
    public static PrivateKey parsePrivateKey(byte[] pem, String label) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        for (Object o : parse(pem, label)) {
            try {
                if (o instanceof PEMKeyPair pair) {           // RSA PRIVATE KEY, EC PRIVATE KEY
                    return converter.getKeyPair(pair).getPrivate();
                }
                if (o instanceof PrivateKeyInfo info) {       // PRIVATE KEY (PKCS#8)
                    return converter.getPrivateKey(info);
                }
            } catch (IOException | RuntimeException e) {
                throw new TlsConfigurationException(label + ": cannot decode the private key: " + e.getMessage(), e);
            }
            if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new TlsConfigurationException(label
                        + ": the private key is encrypted; Presize needs an unencrypted key (the file is protected by its permissions)");
            }
            // Anything else (EC PARAMETERS from `openssl ecparam -genkey`, certificates) is skipped.
        }
        throw new TlsConfigurationException(label + ": " + (looksLikePem(pem)
                ? "contains no PEM private key block (RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY)"
                : "is not a PEM file (no -----BEGIN line)"));
    }

    private static List<Object> parse(byte[] pem, String label) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (!(o instanceof ASN1ObjectIdentifier)) {
                    objects.add(o);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigurationException(label + ": malformed PEM: " + e.getMessage(), e);
        }
        return objects;
    }

    private static boolean looksLikePem(byte[] pem) {
        return new String(pem, StandardCharsets.US_ASCII).contains("-----BEGIN ");
    }

    /** PEM text of certificates or a key (a private key is written as PKCS#8 {@code PRIVATE KEY}). */
    static String encode(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                if (o instanceof PrivateKey key) {
                    writer.writeObject(new JcaPKCS8Generator(key, null));
                } else {
                    writer.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode PEM", e);
        }
        return out.toString();
    }
}
