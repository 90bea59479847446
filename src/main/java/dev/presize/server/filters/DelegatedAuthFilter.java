package dev.presize.server.filters;

import dev.presize.api.RequestInfo;
import dev.presize.api.RequestInfoResolver;
import dev.presize.api.responses.StatusErrors;
import dev.presize.security.authentication.AuthenticationRequest;
import dev.presize.security.authentication.AuthenticationResult;
import dev.presize.security.authentication.DelegatingAuthenticator;
import dev.presize.security.authentication.RequestHeaderConfig;
import dev.presize.security.authentication.TrustConfigurationSource;
import dev.presize.security.authentication.UserInfo;
import dev.presize.security.authorization.AuthorizationResult;
import dev.presize.security.authorization.DelegatingAuthorizer;
import dev.presize.security.authorization.Forbidden;
import dev.presize.security.authorization.SelectorRequirements;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every request, before any route (and for paths no route serves), is authenticated and then
 * authorized, as k8s.io/apiserver's {@code WithAuthentication} and {@code WithAuthorization}
 * filters do: a failed credential → 401 {@code Unauthorized}; not allowed → 403 {@code Forbidden}
 * in kube-apiserver's wording. The authenticated user is left in the request attribute
 * {@link UserInfo#ATTRIBUTE}. The identity headers are removed from every request, so no later
 * stage can mistake a forged {@code X-Remote-User} for an identity.
 *
 * <p>Reviews can block on the cluster, so this runs on the blocking executor, never on the event
 * loop. Ordered after the metrics filter, so 401s and 403s are counted. Not in {@code --demo}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = "presize.demo", notEquals = "true")
public class DelegatedAuthFilter implements Ordered {

    private static final Logger LOG = LoggerFactory.getLogger(DelegatedAuthFilter.class);
    private static final List<String> DEFAULT_IDENTITY_HEADERS = List.of("x-remote-user", "x-remote-group");
    private static final String DEFAULT_EXTRA_PREFIX = "x-remote-extra-";

    private final DelegatingAuthenticator authenticator;
    private final DelegatingAuthorizer authorizer;
    private final TrustConfigurationSource trust;
    private final StatusErrors errors;

    public DelegatedAuthFilter(DelegatingAuthenticator authenticator, DelegatingAuthorizer authorizer, TrustConfigurationSource trust,
                               StatusErrors errors) {
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        this.trust = trust;
        this.errors = errors;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.order();
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public Publisher<? extends HttpResponse<?>> authenticateAndAuthorize(HttpRequest<?> request,
                                                                       FilterContinuation<Publisher<HttpResponse<?>>> next) {
        // The peer certificate is read from the request as the server made it: the mutable view
        // below does not expose the TLS session.
        AuthenticationRequest credentials = new AuthenticationRequest(peerChain(request), headers(request));
        AuthenticationResult authn = authenticator.authenticate(credentials);
        MutableHttpRequest<?> forwarded = request.mutate();
        removeIdentityHeaders(forwarded);
        if (authn.failed()) {
            LOG.debug("Unauthorized {} {}: {}", request.getMethodName(), request.getPath(), authn.failure());
            return Publishers.just(errors.response(Forbidden.unauthorized()));
        }
        UserInfo user = authn.user();
        forwarded.setAttribute(UserInfo.ATTRIBUTE, user);
        RequestInfo info = RequestInfoResolver.resolve(request.getMethodName(), request.getPath(), request.getParameters().asMap());
        AuthorizationResult authz = authorizer.authorize(SelectorRequirements.attributes(user, info, request.getParameters().asMap()));
        if (authz.allowed()) {
            return next.request(forwarded).proceed();
        }
        String reason = authz.reason();
        if (authz.error() != null) {
            // kube-apiserver answers an authorizer error with a 500; Presize denies instead (fail
            // closed, and no 500 for something the client can retry).
            LOG.debug("Authorization error for {} {}: {}", request.getMethodName(), request.getPath(), authz.error());
            reason = reason.isEmpty() ? "the authorization check could not be completed" : reason;
        }
        LOG.debug("Forbidden {} {} for {}: {}", request.getMethodName(), request.getPath(), user.name(), reason);
        return Publishers.just(errors.response(Forbidden.forbidden(user, info, reason)));
    }

    private static List<X509Certificate> peerChain(HttpRequest<?> request) {
        Optional<SSLSession> session = request.getSslSession();
        if (session.isEmpty()) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : session.get().getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return chain;
        } catch (SSLPeerUnverifiedException e) {
            return List.of();   // no client certificate
        }
    }

    private static Map<String, List<String>> headers(HttpRequest<?> request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String name : request.getHeaders().names()) {
            out.put(name, request.getHeaders().getAll(name));
        }
        return out;
    }

    /** The default {@code X-Remote-*} headers and whatever the current front-proxy configuration names. */
    private void removeIdentityHeaders(MutableHttpRequest<?> request) {
        Set<String> exact = new LinkedHashSet<>(DEFAULT_IDENTITY_HEADERS);
        Set<String> prefixes = new LinkedHashSet<>(List.of(DEFAULT_EXTRA_PREFIX));
        RequestHeaderConfig config = trust.current().requestHeader();
        if (config != null) {
            config.usernameHeaders().forEach(h -> exact.add(h.toLowerCase(Locale.ROOT)));
            config.groupHeaders().forEach(h -> exact.add(h.toLowerCase(Locale.ROOT)));
            config.extraHeaderPrefixes().forEach(p -> prefixes.add(p.toLowerCase(Locale.ROOT)));
        }
        for (String name : new ArrayList<>(request.getHeaders().names())) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (exact.contains(lower) || prefixes.stream().anyMatch(lower::startsWith)) {
                request.getHeaders().remove(name);
            }
        }
    }
}
