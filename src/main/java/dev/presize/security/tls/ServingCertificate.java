package dev.presize.security.tls;

import io.micronaut.core.annotation.Nullable;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key with its certificate chain (leaf first), checked to belong together, and the PEM of
 * the CA that clients should trust when it is known.
 *
 * @param key    the leaf's private key
 * @param chain  leaf first, then intermediates (and possibly the root)
 * @param caPem  PEM of the CA a client should trust, or {@code null} if unknown (a publicly trusted chain)
 */
public record ServingCertificate(PrivateKey key, List<X509Certificate> chain, @Nullable String caPem) {

    /** Alias of the single entry in {@link #toKeyStore(char[])}. */
    public static final String ALIAS = "presize-serving";

    public ServingCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** An in-memory key store holding only this key and chain under {@link #ALIAS}. */
    KeyStore toKeyStore(char[] password) {
        try {
            // JKS rather than PKCS12: its key protection is cheap, and this store never leaves memory.
            KeyStore ks = KeyStore.getInstance("JKS");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the serving key store", e);
        }
    }

    /**
     * Whether {@code key} is the private half of {@code cert}'s public key, proven by signing and
     * verifying a random challenge (works for RSA and EC keys of any encoding).
     */
    static boolean keyMatches(PrivateKey key, X509Certificate cert) {
        PublicKey pub = cert.getPublicKey();
        if (!algorithmFamily(key.getAlgorithm()).equals(algorithmFamily(pub.getAlgorithm()))) {
            return false;
        }
        String alg = switch (algorithmFamily(key.getAlgorithm())) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new TlsConfigurationException("unsupported private key type " + key.getAlgorithm());
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(pub);
            verifier.update(challenge);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String algorithmFamily(String alg) {
        return "ECDSA".equals(alg) ? "EC" : alg;
    }

    /** The last certificate of {@code chain} if it is self-signed (a root CA), else {@code null}. */
    @Nullable
    static X509Certificate selfSignedRoot(List<X509Certificate> chain) {
        X509Certificate last = chain.get(chain.size() - 1);
        if (!last.getSubjectX500Principal().equals(last.getIssuerX500Principal())) {
            return null;
        }
        try {
            last.verify(last.getPublicKey());
            return last;
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
