package dev.presize.kubernetes;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One ConfigMap, read once and then followed by a client-java informer whose list and watch are
 * narrowed to it by the field selector {@code metadata.name=<name>} (which RBAC's
 * {@code resourceNames} allows), as k8s.io/apiserver's {@code ConfigMapCAController} and
 * {@code RequestHeaderAuthRequestController} follow {@code extension-apiserver-authentication}.
 * The informer lists again whenever a watch cannot resume, so no change is missed; failures are
 * retried in the background with a backoff ({@link BackingOffListerWatcher}).
 */
public final class ConfigMapInformer implements AutoCloseable {

    private final String namespace;
    private final String name;
    private final CoreV1Api reads;
    private final ApiClient lists;
    private final ApiClient watches;
    private SharedInformerFactory factory;
    private BackingOffListerWatcher<V1ConfigMap, V1ConfigMapList> listerWatcher;

    /** @param deadline for the whole answer of {@link #read()} */
    public ConfigMapInformer(KubernetesClientFactory clients, String namespace, String name, Duration deadline) {
        this(clients.requests(deadline), clients.lists(), clients.watches(), namespace, name);
    }

    ConfigMapInformer(ApiClient reads, ApiClient lists, ApiClient watches, String namespace, String name) {
        this.namespace = namespace;
        this.name = name;
        this.reads = new CoreV1Api(reads);
        this.lists = lists;
        this.watches = watches;
    }

    public String describe() {
        return "ConfigMap " + namespace + "/" + name;
    }

    /**
     * One GET of the ConfigMap: its data, or empty when it does not exist (a 404 is "not
     * configured" for k8s.io/apiserver's lookup, not an error).
     *
     * @throws IOException any other failure, with a one-line message naming the URL and the cause
     */
    public Optional<Map<String, String>> read() throws IOException {
        String url = reads.getApiClient().getBasePath() + "/api/v1/namespaces/" + namespace + "/configmaps/" + name;
        try {
            return Optional.of(data(reads.readNamespacedConfigMap(name, namespace).execute()));
        } catch (ApiException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return Optional.empty();
            }
            throw new IOException(KubernetesErrors.describe("GET", url, e));
        } catch (RuntimeException e) {
            throw new IOException(KubernetesErrors.describe("GET", url, e));
        }
    }

    /**
     * Follows the ConfigMap from now on: {@code onChange} gets its data when it is listed, added
     * or modified, and empty when it is deleted. Calls come from one informer thread.
     */
    public synchronized void start(Consumer<Optional<Map<String, String>>> onChange) {
        if (factory != null) {
            return;
        }
        listerWatcher = new BackingOffListerWatcher<>(V1ConfigMap.class, V1ConfigMapList.class, "", "v1", "configmaps",
                namespace, "metadata.name=" + name, lists, watches);
        factory = Informers.factory(watches, "presize-configmap-informer");
        SharedIndexInformer<V1ConfigMap> informer = factory.sharedIndexInformerFor(listerWatcher, V1ConfigMap.class, 0,
                listerWatcher::watchFailed);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1ConfigMap cm) {
                if (isIt(cm)) {
                    onChange.accept(Optional.of(data(cm)));
                }
            }

            @Override
            public void onUpdate(V1ConfigMap before, V1ConfigMap after) {
                if (isIt(after)) {
                    onChange.accept(Optional.of(data(after)));
                }
            }

            @Override
            public void onDelete(V1ConfigMap cm, boolean finalStateUnknown) {
                if (isIt(cm)) {
                    onChange.accept(Optional.empty());
                }
            }
        });
        factory.startAllRegisteredInformers();
    }

    @Override
    public synchronized void close() {
        if (factory != null) {
            listerWatcher.closing();
            factory.stopAllRegisteredInformers(true);
        }
    }

    /** The field selector already narrows to this one; a server that ignored it must not feed another ConfigMap in. */
    private boolean isIt(V1ConfigMap cm) {
        return cm != null && cm.getMetadata() != null && name.equals(cm.getMetadata().getName());
    }

    private static Map<String, String> data(V1ConfigMap cm) {
        return cm.getData() == null ? Map.of() : cm.getData();
    }
}
