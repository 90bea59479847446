package dev.presize.e2e;

import com.google.gson.JsonObject;
import dev.presize.api.responses.WireJson;
import dev.presize.history.HourlyUsage;
import dev.presize.history.PodUsage;
import dev.presize.history.SeriesKey;
import dev.presize.history.prometheus.PrometheusClient;
import dev.presize.history.prometheus.PrometheusSettings;
import dev.presize.history.prometheus.PrometheusUsageHistory;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import dev.presize.recommendations.RecommendationBuilder;
import dev.presize.v1beta1.Requests;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.UsageAttribution;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadRef;
import dev.presize.workloads.WorkloadSource;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * What another replica of the server would serve for one refresh, computed outside the server: the same Prometheus
 * samples, attributed to workloads by the test's own table (not Presize's owner chains), pooled per container,
 * recommended by a second, freshly made instance of the strategy the server runs, and built into objects.
 */
final class ModelReplica {

    private ModelReplica() {
    }

    /**
     * @param replica   a fresh instance of the served strategy (it trains at {@code historyEnd}, as the server did)
     * @param workloads the workloads the test expects, in the order Presize lists them (namespace, name, kind):
     *                  the model is trained over containers in that order
     * @param owners    (namespace, pod) → the workload the test says the pod belongs to
     * @return the objects keyed "namespace/name", with the resourceVersion of content that changed at {@code refreshAt}
     */
    static Map<String, JsonObject> expected(RequestStrategy replica, List<Workload> workloads,
                                            BiFunction<String, String, Optional<WorkloadRef>> owners, URI prometheus,
                                            Instant refreshAt, Instant historyEnd, Duration window) throws IOException {
        WorkloadSource placement = new WorkloadSource() {
            @Override
            public List<Workload> workloads(Instant at) {
                return workloads;
            }

            @Override
            public Optional<WorkloadRef> ownerOf(List<Workload> among, String namespace, String pod, String container) {
                return owners.apply(namespace, pod);
            }
        };
        PrometheusUsageHistory history = new PrometheusUsageHistory(
                new PrometheusClient(PrometheusSettings.of(prometheus, Duration.ofSeconds(30))));
        List<ContainerHistory> containers = new ArrayList<>();
        TreeSet<String> namespaces = new TreeSet<>();
        workloads.forEach(w -> namespaces.add(w.namespace()));
        for (String namespace : namespaces) {
            List<PodUsage> pods = history.namespace(namespace, historyEnd, window);
            List<Workload> here = workloads.stream().filter(w -> w.namespace().equals(namespace)).toList();
            Map<WorkloadRef, Map<String, HourlyUsage>> pooled = UsageAttribution.attribute(here, placement, pods);
            for (Workload w : here) {
                for (ContainerSpec c : w.containers()) {
                    HourlyUsage u = pooled.getOrDefault(w.ref(), Map.of()).get(c.name());
                    if (u == null) {
                        throw new AssertionError("no history in Prometheus for " + w.ref() + " container " + c.name());
                    }
                    containers.add(new ContainerHistory(RecommendationBuilder.key(w, c.name()), u, null,
                            new Resources(orNaN(c.cpuRequestCores()), orNaN(c.memoryRequestBytes()))));
                }
            }
        }
        Map<SeriesKey, Recommendation> recommendations = replica.recommend(containers, historyEnd.getEpochSecond());
        // With the replica's targets, as the Refresher passes the served strategy's: a target its
        // calibration missed is on the expected objects too (TargetMissed), not only on the served.
        List<Requests> objects = new RecommendationBuilder(replica.name()).build(workloads, recommendations, refreshAt,
                Instant.ofEpochSecond(replica.trainedAt(historyEnd.getEpochSecond())), window, replica.targets());
        WireJson wire = new WireJson();
        Map<String, JsonObject> out = new LinkedHashMap<>();
        for (Requests r : objects) {
            out.put(r.namespace() + "/" + r.name(),
                    wire.gson().toJsonTree(r.withResourceVersion(Long.toString(refreshAt.toEpochMilli()))).getAsJsonObject());
        }
        return out;
    }

    private static double orNaN(Double d) {
        return d == null ? Double.NaN : d;
    }
}
