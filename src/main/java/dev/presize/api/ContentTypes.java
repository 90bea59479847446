package dev.presize.api;

/** Content types Presize writes. */
public final class ContentTypes {

    public static final String JSON = "application/json";
    public static final String YAML = "application/yaml";
    public static final String TEXT = "text/plain; charset=utf-8";
    /** Aggregated discovery (apidiscovery.k8s.io), as kube-apiserver labels the response. */
    public static final String DISCOVERY_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    public static final String DISCOVERY_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
    public static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";


    private ContentTypes() {
    }
}
