package dev.presize.server.filters;

import dev.presize.api.RequestInfo;
import dev.presize.api.RequestInfoResolver;
import io.micronaut.http.HttpRequest;

import java.util.Set;

/**
 * Which requests the in-flight limit and the request timeout leave alone, as k8s.io/apiserver's
 * {@code BasicLongRunningRequestCheck} decides for them (pkg/server/filters/longrunning.go): every
 * {@code watch} (by {@code ?watch=true} or the {@code /watch/} path), which is meant to stay open.
 * The health probes are also exempt from the in-flight limit: a busy server must not fail its
 * liveness probe and be restarted for being busy, which is why API Priority and Fairness puts
 * probes in the exempt flow schema.
 */
public final class LongRunningRequests {

    private static final Set<String> PROBES = Set.of("/livez", "/readyz", "/healthz");

    private LongRunningRequests() {
    }

    public static boolean isLongRunning(HttpRequest<?> request) {
        RequestInfo info = RequestInfoResolver.resolve(request.getMethodName(), request.getPath(),
                request.getParameters().asMap());
        return info.resourceRequest() && "watch".equals(info.verb());
    }

    /** {@code /livez}, {@code /readyz}, {@code /healthz} and their single checks. */
    public static boolean isProbe(HttpRequest<?> request) {
        String path = request.getPath();
        int slash = path.indexOf('/', 1);
        return PROBES.contains(slash < 0 ? path : path.substring(0, slash));
    }
}
