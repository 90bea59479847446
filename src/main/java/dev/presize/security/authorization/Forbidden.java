package dev.presize.security.authorization;

import dev.presize.api.RequestInfo;
import dev.presize.api.errors.ApiException;
import dev.presize.security.authentication.UserInfo;

/**
 * The 401 and 403 {@code Status} errors in kube-apiserver's wording: {@code apierrors.NewUnauthorized}
 * and {@code responsewriters.ForbiddenStatusError} with {@code apierrors.NewForbidden}
 * (pkg/endpoints/handlers/responsewriters/errors.go).
 */
public final class Forbidden {

    private Forbidden() {
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", null, null, null);
    }

    public static ApiException forbidden(UserInfo user, RequestInfo r, String reason) {
        String message = message(user, r);
        if (reason != null && !reason.isEmpty()) {
            message = message + ": " + reason;
        }
        if (!r.resourceRequest() || (r.apiGroup().isEmpty() && r.resource().isEmpty())) {
            return new ApiException(403, "Forbidden", "forbidden: " + message, null, null, null);
        }
        String qualified = r.apiGroup().isEmpty() ? r.resource() : r.resource() + "." + r.apiGroup();
        String full = r.name().isEmpty() ? qualified + " is forbidden: " + message
                : qualified + " " + quote(r.name()) + " is forbidden: " + message;
        return new ApiException(403, "Forbidden", full, r.name().isEmpty() ? null : r.name(),
                r.apiGroup().isEmpty() ? null : r.apiGroup(), r.resource(), null);
    }

    /** upstream's {@code forbiddenMessage} */
    static String message(UserInfo user, RequestInfo r) {
        String username = user == null ? "" : user.name();
        if (!r.resourceRequest()) {
            return "User " + quote(username) + " cannot " + r.verb() + " path " + quote(r.path());
        }
        String resource = r.subresource().isEmpty() ? r.resource() : r.resource() + "/" + r.subresource();
        if (!r.namespace().isEmpty()) {
            return "User " + quote(username) + " cannot " + r.verb() + " resource " + quote(resource) + " in API group "
                    + quote(r.apiGroup()) + " in the namespace " + quote(r.namespace());
        }
        return "User " + quote(username) + " cannot " + r.verb() + " resource " + quote(resource) + " in API group "
                + quote(r.apiGroup()) + " at the cluster scope";
    }

    /** Go's {@code %q} for the names that appear here. */
    private static String quote(String s) {
        return dev.presize.apimachinery.GoText.quote(s);
    }
}
