package dev.presize.api;

/**
 * What a request asks for, in Kubernetes terms: the attributes metrics are labelled with and that
 * authorization is decided on. Mirrors k8s.io/apiserver/pkg/endpoints/request.RequestInfo.
 *
 * @param verb lower-case Kubernetes verb for resource requests (get, list, watch, create, update,
 *             patch, delete, deletecollection); the lower-case HTTP method for other paths
 */
public record RequestInfo(
        boolean resourceRequest,
        String path,
        String verb,
        String apiGroup,
        String apiVersion,
        String namespace,
        String resource,
        String subresource,
        String name) {

    public static RequestInfo nonResource(String path, String httpMethod) {
        return new RequestInfo(false, path, httpMethod.toLowerCase(java.util.Locale.ROOT), "", "", "", "", "", "");
    }
}
