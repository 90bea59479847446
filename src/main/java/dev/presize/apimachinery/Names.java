package dev.presize.apimachinery;

import dev.presize.api.errors.ApiException;
import java.util.List;

/**
 * Validates the namespace and name segments of a request path before they are looked up.
 *
 * <p>Deliberate difference: kube-apiserver only rejects path segments that could not be storage
 * keys ({@code .}, {@code ..}, {@code /}, {@code %}) and answers 404 for any other unknown name.
 * We reject anything that cannot be a namespace (a DNS-1123 label) or an object name (a DNS-1123
 * subdomain; our names such as {@code web.statefulset} contain dots) with a 400 that says why,
 * using apimachinery's own wording, because such a name can never exist here.
 */
public final class Names {

    private Names() {
    }

    /** @throws ApiException 400 when {@code namespace} is not a DNS-1123 label */
    public static String requireNamespace(String namespace) {
        String ns = namespace == null ? "" : namespace;
        List<String> errs = KubeValidation.isDns1123Label(ns);
        if (!errs.isEmpty()) {
            throw ApiException.badRequest(GoText.invalid("namespace", ns, String.join("; ", errs)));
        }
        return ns;
    }

    /** @throws ApiException 400 when {@code name} is not a DNS-1123 subdomain */
    public static String requireName(String name) {
        String n = name == null ? "" : name;
        List<String> errs = KubeValidation.isDns1123Subdomain(n);
        if (!errs.isEmpty()) {
            throw ApiException.badRequest(GoText.invalid("name", n, String.join("; ", errs)));
        }
        return n;
    }

    public static boolean isValidNamespace(String namespace) {
        return namespace != null && KubeValidation.isDns1123Label(namespace).isEmpty();
    }

    public static boolean isValidName(String name) {
        return name != null && KubeValidation.isDns1123Subdomain(name).isEmpty();
    }
}
