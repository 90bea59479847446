package dev.presize.security.authentication;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Supplier;

/**
 * Client certificates signed by the client CA, as k8s.io/apiserver's {@code x509.NewDynamic} with
 * {@code CommonNameUserConversion} (pkg/authentication/request/x509): no certificate or no client
 * CA → no opinion; a chain that does not verify → error; an empty common name → no opinion;
 * otherwise the user is the CN and the groups are the O values.
 */
@Singleton
public class ClientCertificateAuthenticator implements Authenticator {

    private final Supplier<TrustConfiguration> trust;
    private final CertificateVerifier verifier;

    @Inject
    public ClientCertificateAuthenticator(TrustConfigurationSource trust, CertificateVerifier verifier) {
        this(trust::current, verifier);
    }

    ClientCertificateAuthenticator(Supplier<TrustConfiguration> trust, CertificateVerifier verifier) {
        this.trust = trust;
        this.verifier = verifier;
    }

    @Override
    public Outcome authenticate(AuthenticationRequest request) {
        List<X509Certificate> ca = trust.get().clientCa();
        if (request.peerChain().isEmpty() || ca.isEmpty()) {
            return Outcome.none();
        }
        List<X509Certificate> chain;
        try {
            chain = verifier.verify(request.peerChain(), ca);
        } catch (CertificateVerifier.VerificationException e) {
            return Outcome.failed("client certificate: verifying certificate "
                    + FrontProxyAuthenticator.describe(request.peerChain().get(0)) + " failed: " + e.getMessage());
        }
        String cn = CertificateNames.commonName(chain.get(0));
        if (cn.isEmpty()) {
            return Outcome.none();
        }
        return Outcome.of(new UserInfo(cn, CertificateNames.organizations(chain.get(0))));
    }
}
