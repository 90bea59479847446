package dev.presize.security.authentication;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * The chain k8s.io/apiserver's {@code DelegatingAuthenticatorConfig.New()} builds
 * (pkg/authentication/authenticatorfactory/delegating.go), in its order: front proxy, client
 * certificate, bearer token ({@code union.New}: the first user wins, errors are collected and the
 * next one is tried), {@code system:authenticated} added to whoever authenticated
 * ({@code AuthenticatedGroupAdder}), then anonymous through {@code union.NewFailOnError}: only a
 * request that presented nothing that failed becomes {@code system:anonymous}; a failed credential
 * with nothing else succeeding is a failure (401), never anonymous.
 */
@Singleton
public class DelegatingAuthenticator {

    private final List<Authenticator> chain;

    @Inject
    public DelegatingAuthenticator(FrontProxyAuthenticator frontProxy, ClientCertificateAuthenticator clientCertificate,
                                   TokenReviewAuthenticator token) {
        this(List.of(frontProxy, clientCertificate, token));
    }

    DelegatingAuthenticator(List<Authenticator> chain) {
        this.chain = List.copyOf(chain);
    }

    public AuthenticationResult authenticate(AuthenticationRequest request) {
        List<String> errors = new ArrayList<>();
        for (Authenticator a : chain) {
            Outcome o = a.authenticate(request);
            if (o.failed()) {
                errors.add(o.error());
            } else if (o.authenticated()) {
                return new AuthenticationResult(o.user().withAuthenticatedGroup(), null);
            }
        }
        if (!errors.isEmpty()) {
            return new AuthenticationResult(null, String.join("; ", errors));
        }
        return new AuthenticationResult(UserInfo.anonymous(), null);
    }
}
