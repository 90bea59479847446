package dev.presize.workloads.kubernetes;

import dev.presize.kubernetes.KubernetesErrors;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import okhttp3.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which version of a group serves a resource, from the group/version discovery documents
 * ({@code GET /api/v1}, {@code GET /apis/batch/v1}: an {@code APIResourceList}), the way
 * {@code kubectl} and client-go's discovery client find them. Not the aggregated discovery of
 * Kubernetes 1.26+ ({@code /apis} with {@code application/json;g=apidiscovery.k8s.io}): the
 * per-group/version documents exist on every version Presize supports.
 *
 * <p>One instance answers one round of checks; it remembers each document it fetched, so checking
 * several resources of one group/version costs one request.
 */
final class ApiDiscovery {

    private static final Logger LOG = LoggerFactory.getLogger(ApiDiscovery.class);

    /** The version to list and whether discovery found the resource there (false: a guess to let the list decide). */
    record Choice(String version, boolean discovered) {
    }

    private final ApiClient client;
    /** group/version → resource names; an empty set for a group/version that is not served (404). */
    private final Map<String, Set<String>> documents = new HashMap<>();
    private boolean unusable;

    ApiDiscovery(ApiClient client) {
        this.client = client;
    }

    /**
     * The first of {@code versions} (in preference order) whose discovery document lists
     * {@code resource}; when none does, or discovery cannot be read (403, no answer), the first
     * version, whose list then fails with the cause in words.
     */
    Choice choose(String group, String resource, List<String> versions) {
        for (String version : versions) {
            Set<String> resources = resources(group, version);
            if (resources == null) {
                break;
            }
            if (resources.contains(resource)) {
                return new Choice(version, true);
            }
        }
        return new Choice(versions.get(0), false);
    }

    /** The resources of a group/version, empty when it is not served; null when discovery cannot be read. */
    private Set<String> resources(String group, String version) {
        if (unusable) {
            return null;
        }
        String path = (group.isEmpty() ? "/api/" : "/apis/" + group + "/") + version;
        if (documents.containsKey(path)) {
            return documents.get(path);
        }
        Set<String> names = new HashSet<>();
        try {
            Map<String, String> headers = new HashMap<>(Map.of("Accept", "application/json"));
            Call call = client.buildCall(client.getBasePath(), path, "GET", List.of(), List.of(), null, headers,
                    new HashMap<>(), new HashMap<>(), new String[] {"BearerToken"}, null);
            V1APIResourceList list = client.<V1APIResourceList>execute(call, V1APIResourceList.class).getData();
            if (list != null && list.getResources() != null) {
                for (V1APIResource r : list.getResources()) {
                    names.add(r.getName());
                }
            }
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                return unusable(path, e);
            }
        } catch (RuntimeException e) {
            // client-java wraps I/O failures and unreadable answers in RuntimeExceptions.
            return unusable(path, e);
        }
        documents.put(path, names);
        return names;
    }

    private Set<String> unusable(String path, Throwable failure) {
        unusable = true;
        LOG.debug("Discovery unusable, listing the preferred versions: {}",
                KubernetesErrors.describe("GET", client.getBasePath() + path, failure));
        return null;
    }
}
