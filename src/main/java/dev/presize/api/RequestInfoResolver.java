package dev.presize.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Classifies a request path the way k8s.io/apiserver's {@code RequestInfoFactory.NewRequestInfo}
 * does: {@code /apis/<group>/<version>/[watch/][namespaces/<ns>/]<resource>[/<name>[/<subresource>]]}
 * is a resource request, everything else (discovery, /openapi, /healthz, /metrics) a non-resource
 * one. Pure function of method, path and query, so the same answer feeds metrics and authorization.
 */
public final class RequestInfoResolver {

    private RequestInfoResolver() {
    }

    public static RequestInfo resolve(String method, String path, Map<String, List<String>> query) {
        String m = method.toUpperCase(Locale.ROOT);
        List<String> parts = new ArrayList<>(Arrays.asList(trim(path).split("/", -1)));
        if (parts.size() < 3 || !parts.get(0).equals("apis")) {
            return RequestInfo.nonResource(path, m);
        }
        String group = parts.get(1);
        String version = parts.get(2);
        List<String> rest = new ArrayList<>(parts.subList(3, parts.size()));
        if (rest.isEmpty() || rest.get(0).isEmpty()) {
            // /apis/<group>/<version> is discovery: non-resource.
            return RequestInfo.nonResource(path, m);
        }
        String verb = switch (m) {
            case "POST" -> "create";
            case "GET", "HEAD" -> "get";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
        };
        boolean watchPath = rest.get(0).equals("watch");
        if (watchPath) {
            rest.remove(0);
            verb = "watch";
        }
        String namespace = "";
        if (rest.size() >= 2 && rest.get(0).equals("namespaces")) {
            namespace = rest.get(1);
            if (rest.size() == 2) {
                // /namespaces/<ns> itself is the namespaces resource, named <ns>.
                return new RequestInfo(true, path, verb, group, version, "", "namespaces", "", namespace);
            }
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.size() > 0 ? rest.get(0) : "";
        String name = rest.size() > 1 ? rest.get(1) : "";
        String subresource = rest.size() > 2 ? rest.get(2) : "";
        if (name.isEmpty()) {
            if (verb.equals("get")) {
                verb = isTrue(query.get("watch")) ? "watch" : "list";
            } else if (verb.equals("delete")) {
                verb = "deletecollection";
            }
        } else if (verb.equals("get") && isTrue(query.get("watch"))) {
            // A watch on a single object is expressed as a list with a name field selector.
            verb = "watch";
        }
        return new RequestInfo(true, path, verb, group, version, namespace, resource, subresource, name);
    }

    private static boolean isTrue(List<String> values) {
        if (values == null || values.isEmpty()) {
            return false;
        }
        String v = values.get(0);
        return v.equals("true") || v.equals("1") || v.equals("t") || v.equals("T") || v.equals("TRUE") || v.equals("True");
    }

    private static String trim(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
