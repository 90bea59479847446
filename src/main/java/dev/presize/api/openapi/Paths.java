package dev.presize.api.openapi;

import dev.presize.v1beta1.RequestsResource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OpenAPI v3 {@code paths} of presize.dev/v1beta1: exactly the operations the server answers. */
final class Paths {

    private Paths() {
    }

    static Map<String, Object> v3(String refPrefix) {
        Map<String, Object> gvk = Map.of("group", RequestsResource.GROUP, "version", RequestsResource.VERSION,
                "kind", RequestsResource.KIND);
        Map<String, Object> paths = new LinkedHashMap<>();
        String base = RequestsResource.PREFIX;
        paths.put(base + "/namespaces/{namespace}/requests/{name}", Map.of(
                "get", operation("readPresizeDevV1beta1NamespacedRequests", "read the specified Requests",
                        "get", refPrefix + "dev.presize.v1beta1.Requests", gvk, List.of()),
                "parameters", List.of(pathParam("name", "name of the Requests"),
                        pathParam("namespace", "object name and auth scope, such as for teams and projects"))));
        paths.put(base + "/namespaces/{namespace}/requests", Map.of(
                "get", operation("listPresizeDevV1beta1NamespacedRequests", "list objects of kind Requests",
                        "list", refPrefix + "dev.presize.v1beta1.RequestsList", gvk, listParams()),
                "parameters", List.of(pathParam("namespace", "object name and auth scope, such as for teams and projects"))));
        paths.put(base + "/requests", Map.of(
                "get", operation("listPresizeDevV1beta1RequestsForAllNamespaces", "list objects of kind Requests",
                        "list", refPrefix + "dev.presize.v1beta1.RequestsList", gvk, listParams())));
        // The deprecated /watch/ forms, which kube-apiserver still publishes for every resource.
        String event = refPrefix + "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent";
        paths.put(base + "/watch/namespaces/{namespace}/requests", Map.of(
                "get", operation("watchPresizeDevV1beta1NamespacedRequestsList", "watch individual changes to a list of Requests."
                        + " deprecated: use the 'watch' parameter with a list operation instead.", "watchlist", event, gvk, listParams()),
                "parameters", List.of(pathParam("namespace", "object name and auth scope, such as for teams and projects"))));
        paths.put(base + "/watch/namespaces/{namespace}/requests/{name}", Map.of(
                "get", operation("watchPresizeDevV1beta1NamespacedRequests", "watch changes to an object of kind Requests."
                        + " deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the"
                        + " 'fieldSelector' parameter.", "watch", event, gvk, listParams()),
                "parameters", List.of(pathParam("name", "name of the Requests"),
                        pathParam("namespace", "object name and auth scope, such as for teams and projects"))));
        paths.put(base + "/watch/requests", Map.of(
                "get", operation("watchPresizeDevV1beta1RequestsListForAllNamespaces", "watch individual changes to a list of"
                        + " Requests. deprecated: use the 'watch' parameter with a list operation instead.", "watchlist", event,
                        gvk, listParams())));
        return paths;
    }

    private static Map<String, Object> operation(String id, String description, String action, String ref,
                                                 Map<String, Object> gvk, List<Object> params) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("tags", List.of("presizeDev_v1beta1"));
        op.put("description", description);
        op.put("operationId", id);
        if (!params.isEmpty()) {
            op.put("parameters", params);
        }
        op.put("responses", Map.of(
                "200", Map.of("description", "OK",
                        "content", Map.of("application/json", Map.of("schema", Map.of("$ref", ref)))),
                "401", Map.of("description", "Unauthorized")));
        op.put("x-kubernetes-action", action);
        op.put("x-kubernetes-group-version-kind", gvk);
        return op;
    }

    private static Map<String, Object> pathParam(String name, String description) {
        return Map.of("name", name, "in", "path", "description", description, "required", true,
                "schema", Map.of("type", "string", "uniqueItems", true));
    }

    private static List<Object> listParams() {
        return List.of(
                query("allowWatchBookmarks", "boolean", "allowWatchBookmarks requests watch events with type \"BOOKMARK\"."),
                query("continue", "string", "The continue option should be set when retrieving more results from the server."),
                query("fieldSelector", "string", "A selector to restrict the list of returned objects by their fields: metadata.name and metadata.namespace."),
                query("labelSelector", "string", "A selector to restrict the list of returned objects by their labels."),
                query("limit", "integer", "limit is a maximum number of responses to return for a list call."),
                query("resourceVersion", "string", "resourceVersion sets a constraint on what resource versions a request may be served from."),
                query("resourceVersionMatch", "string", "resourceVersionMatch determines how resourceVersion is applied to list calls."),
                query("sendInitialEvents", "boolean", "`sendInitialEvents=true` may be set together with `watch=true`: the stream"
                        + " begins with synthetic events for the current state, ended by a bookmark annotated"
                        + " \"k8s.io/initial-events-end\"; requires resourceVersionMatch=NotOlderThan."),
                query("timeoutSeconds", "integer", "Timeout for the list/watch call."),
                query("watch", "boolean", "Watch for changes to the described resources and return them as a stream of add,"
                        + " update, and remove notifications."));
    }

    private static Map<String, Object> query(String name, String type, String description) {
        return Map.of("name", name, "in", "query", "description", description,
                "schema", Map.of("type", type, "uniqueItems", true));
    }
}
