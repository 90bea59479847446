package dev.presize.security.authentication;

import jakarta.inject.Singleton;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies a client's certificate chain as Go's {@code x509.Certificate.Verify} with
 * k8s.io/apiserver's {@code x509.DefaultVerifyOptions()} (pkg/authentication/request/x509): the
 * first certificate is the leaf, the others are intermediates, the roots are the CA bundle current
 * at that moment, validity is checked at the clock's instant, and every certificate of the chain
 * that names extended key usages must allow client authentication. The TLS layer verified nothing
 * (see {@code ClientCertificateRequestingSslFactory}); this is where a chain earns trust.
 */
@Singleton
public class CertificateVerifier {

    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";

    /** Why a chain is not trusted; the message is for logs, never for the client. */
    public static final class VerificationException extends Exception {
        VerificationException(String message) {
            super(message, null, false, false);
        }
    }

    private final Clock clock;

    public CertificateVerifier(Clock clock) {
        this.clock = clock;
    }

    /** The verified chain, leaf first and root last. */
    public List<X509Certificate> verify(List<X509Certificate> presented, List<X509Certificate> roots) throws VerificationException {
        if (presented.isEmpty()) {
            throw new VerificationException("no certificate");
        }
        if (roots.isEmpty()) {
            throw new VerificationException("no CA to verify against");
        }
        X509Certificate leaf = presented.get(0);
        Date now = Date.from(clock.instant());
        try {
            leaf.checkValidity(now);
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new VerificationException("x509: certificate has expired or is not yet valid: current time " + now.toInstant()
                    + " is outside " + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant());
        }
        List<X509Certificate> path = build(presented, roots, now);
        for (X509Certificate c : path) {
            if (!allowsClientAuth(c)) {
                throw new VerificationException("x509: certificate specifies an incompatible key usage ("
                        + c.getSubjectX500Principal().getName() + ")");
            }
        }
        return path;
    }

    private static List<X509Certificate> build(List<X509Certificate> presented, List<X509Certificate> roots, Date now)
            throws VerificationException {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate root : roots) {
            anchors.add(new TrustAnchor(root, null));
        }
        X509CertSelector target = new X509CertSelector();
        target.setCertificate(presented.get(0));
        try {
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);  // Go's Verify checks no revocation either
            params.setDate(now);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(presented.subList(1, presented.size()))));
            PKIXCertPathBuilderResult result = (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            List<X509Certificate> path = new ArrayList<>();
            result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
            path.add(result.getTrustAnchor().getTrustedCert());
            return path;
        } catch (InvalidAlgorithmParameterException e) {
            throw new VerificationException("invalid CA bundle: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new VerificationException("x509: certificate signed by unknown authority (" + e.getMessage() + ")");
        }
    }

    /** Go's rule: a certificate without extended key usages may be used for anything. */
    static boolean allowsClientAuth(X509Certificate c) {
        try {
            List<String> eku = c.getExtendedKeyUsage();
            return eku == null || eku.contains(CLIENT_AUTH) || eku.contains(ANY_EXTENDED_KEY_USAGE);
        } catch (CertificateParsingException e) {
            return false;
        }
    }
}
