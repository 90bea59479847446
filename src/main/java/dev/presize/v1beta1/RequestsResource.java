package dev.presize.v1beta1;

import java.util.List;

/**
 * The identity of the one resource Presize serves, as declared in the API contract. Discovery,
 * OpenAPI, errors and request classification all read it from here so they cannot disagree.
 */
public final class RequestsResource {

    public static final String GROUP = "presize.dev";
    public static final String VERSION = "v1beta1";
    public static final String GROUP_VERSION = GROUP + "/" + VERSION;
    public static final String RESOURCE = "requests";
    public static final String SINGULAR = "requests";
    public static final String KIND = "Requests";
    public static final String LIST_KIND = "RequestsList";
    public static final List<String> SHORT_NAMES = List.of("preq");
    public static final List<String> CATEGORIES = List.of("presize");
    /** Exactly the verbs that work. */
    public static final List<String> VERBS = List.of("get", "list", "watch");
    public static final String PREFIX = "/apis/" + GROUP_VERSION;

    private RequestsResource() {
    }
}
