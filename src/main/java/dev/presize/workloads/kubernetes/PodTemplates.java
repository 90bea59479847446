package dev.presize.workloads.kubernetes;

import dev.presize.workloads.ContainerSpec;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The containers of a pod spec (a workload's template, or a bare pod's own spec) with the requests
 * they run with.
 *
 * <p>Which containers: the app containers in spec order, then native sidecars (init containers with
 * {@code restartPolicy: Always}, Kubernetes 1.29+), because those run for the pod's whole life and
 * have usage history like any container. Ordinary init containers are left out: they run to
 * completion before the app starts, so their short bursts say nothing about steady-state needs, and
 * they do not add to the pod's requests (the scheduler takes the larger of the biggest init
 * container and the sum of the others), so a recommendation for them would not change what a pod
 * reserves.
 *
 * <p>Requests: {@code resources.requests}; where a template sets a limit but no request, the limit,
 * because that is what its pods get (pkg/apis/core/v1/defaults.go, {@code SetDefaults_Pod}, defaults
 * a pod's missing requests to its limits; templates are not defaulted). Requests a LimitRange adds
 * at admission are not visible in the template and so are unknown (null).
 */
final class PodTemplates {

    private PodTemplates() {
    }

    static List<ContainerSpec> containers(V1PodSpec spec) {
        List<ContainerSpec> result = new ArrayList<>();
        if (spec == null) {
            return result;
        }
        if (spec.getContainers() != null) {
            for (V1Container c : spec.getContainers()) {
                result.add(container(c));
            }
        }
        if (spec.getInitContainers() != null) {
            for (V1Container c : spec.getInitContainers()) {
                if ("Always".equals(c.getRestartPolicy())) {
                    result.add(container(c));
                }
            }
        }
        return result;
    }

    private static ContainerSpec container(V1Container c) {
        V1ResourceRequirements r = c.getResources();
        Map<String, Quantity> requests = r == null ? null : r.getRequests();
        Map<String, Quantity> limits = r == null ? null : r.getLimits();
        return new ContainerSpec(c.getName(), amount(requests, limits, "cpu"), amount(requests, limits, "memory"));
    }

    /** CPU in cores, memory in bytes, as {@link Quantity} parses Kubernetes quantities ("250m", "1Gi", "1e3"). */
    private static Double amount(Map<String, Quantity> requests, Map<String, Quantity> limits, String resource) {
        Quantity q = requests == null ? null : requests.get(resource);
        if (q == null && limits != null) {
            q = limits.get(resource);
        }
        return q == null ? null : q.getNumber().doubleValue();
    }
}
