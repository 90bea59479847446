package dev.presize.recommendations;

import dev.presize.v1beta1.RequestsResource;
import dev.presize.v1beta1.Condition;
import dev.presize.v1beta1.ContainerRequests;
import dev.presize.v1beta1.ModelInfo;
import dev.presize.v1beta1.ObjectMeta;
import dev.presize.v1beta1.Requests;
import dev.presize.v1beta1.ResourceAmounts;
import dev.presize.v1beta1.Target;

import dev.presize.history.SeriesKey;
import dev.presize.format.GoDuration;
import dev.presize.format.Quantities;
import dev.presize.model.Recommendation;
import dev.presize.model.Resources;
import dev.presize.model.TargetStatus;
import dev.presize.format.Rfc3339;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadNaming;
import dev.presize.workloads.WorkloadRef;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns workloads and their usage history into the {@link Requests} objects of one refresh. A pure
 * function of its inputs (no clock, no randomness), so replicas given the same history build
 * identical objects.
 *
 * <p>A container with no usable history is left out of {@code containers} and of the pod total; a
 * workload none of whose containers has usable history gets no object (the API answers 404). A
 * container with usage history of only one resource is recommended for that one: the other is
 * absent from its {@code requests} and bounds, and from the object's {@code resources} (a sum
 * without it would not be the pod's), and the object carries the {@value #INCOMPLETE} condition
 * saying which container lacks what (api.md).
 */
public final class RecommendationBuilder {

    // Served confidence is rounded so that noise in the last bits never changes an object's content.
    private static final int CONFIDENCE_DECIMALS = 2;

    // An abnormal-true condition like Stale: present only while some resource goes unrecommended.
    // Type, reason and message follow metav1.Condition (apimachinery/pkg/apis/meta/v1/types.go):
    // CamelCase type and reason, a human-readable message.
    static final String INCOMPLETE = "Incomplete";
    static final String NO_CPU_HISTORY = "NoCpuHistory";
    static final String NO_MEMORY_HISTORY = "NoMemoryHistory";
    static final String NO_CPU_OR_MEMORY_HISTORY = "NoCpuOrMemoryHistory";

    private final String modelName;

    /** @param modelName served as {@code model.name} unless a container's recommendation names another */
    public RecommendationBuilder(String modelName) {
        this.modelName = modelName;
    }

    /** The key a workload's container is recommended under: kind-qualified, as names may collide. */
    public static SeriesKey key(Workload w, String container) {
        return new SeriesKey(w.namespace(), w.kind().kind() + "/" + w.name(), container);
    }

    /**
     * @param workloads       the workloads to recommend for
     * @param recommendations per {@link #key(Workload, String)}
     * @param refreshAt       the refresh grid instant: the objects' {@code timestamp}
     * @param trainedAt       when the model that recommended was trained ({@code model.trainedAt}),
     *                        at or before {@code refreshAt}: the model retrains every
     *                        {@code --retrain-interval}, not at every refresh
     * @param window          how much history a recommendation uses (served as {@code window})
     * @return one object per workload with at least one recommended container, sorted by namespace and name
     */
    public List<Requests> build(List<Workload> workloads, Map<SeriesKey, Recommendation> recommendations,
                                Instant refreshAt, Instant trainedAt, Duration window) {
        return build(workloads, recommendations, refreshAt, trainedAt, window, List.of());
    }

    /**
     * {@link #build(List, Map, Instant, Instant, Duration)}, with what the model's last calibration
     * reached for each target ({@code RequestStrategy.targets()}): an object with a resource the
     * model sized for a target it could not hold carries {@value TargetConditions#TYPE}.
     */
    public List<Requests> build(List<Workload> workloads, Map<SeriesKey, Recommendation> recommendations,
                                Instant refreshAt, Instant trainedAt, Duration window, List<TargetStatus> targets) {
        Map<WorkloadRef, String> names = WorkloadNaming.assign(workloads);
        List<Requests> result = new ArrayList<>();
        for (Workload w : workloads) {
            String name = names.get(w.ref());
            if (name != null) {
                build(w, name, recommendations, refreshAt, trainedAt, window, targets).ifPresent(result::add);
            }
        }
        result.sort(Snapshot.ORDER);
        return result;
    }

    private Optional<Requests> build(Workload w, String name, Map<SeriesKey, Recommendation> recommendations,
                                     Instant refreshAt, Instant trainedAt, Duration window, List<TargetStatus> targets) {
        List<ContainerRequests> containers = new ArrayList<>();
        Resources total = Resources.ZERO;
        long samples = 0;
        double confidenceSum = 0;
        Set<String> models = new TreeSet<>();
        List<String> withoutCpu = new ArrayList<>();
        List<String> withoutMemory = new ArrayList<>();
        boolean modelCpu = false;
        boolean modelMemory = false;
        for (ContainerSpec spec : w.containers()) {
            Recommendation r = recommendations.get(key(w, spec.name()));
            if (r == null) {
                continue;
            }
            containers.add(new ContainerRequests(spec.name(), amounts(r.requests()), amounts(r.lowerBound()),
                    amounts(r.upperBound()), current(spec)));
            // The pod total is the sum of the container values as served, so a client that adds up
            // containers[].requests (as the scheduler will once they are applied) gets resources exactly;
            // a resource some container has no recommendation for stays NaN, i.e. absent.
            total = total.plus(Quantities.asServed(r.requests()));
            if (!r.requests().hasCpu()) {
                withoutCpu.add(spec.name());
            }
            if (!r.requests().hasMemory()) {
                withoutMemory.add(spec.name());
            }
            // A fallback (its own model name) was not sized by the calibrated prices.
            modelCpu |= r.model() == null && r.requests().hasCpu();
            modelMemory |= r.model() == null && r.requests().hasMemory();
            samples += r.samples();
            confidenceSum += r.confidence();
            models.add(r.model() == null ? modelName : r.model());
        }
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Requests(
                RequestsResource.GROUP_VERSION,
                RequestsResource.KIND,
                new ObjectMeta(name, w.namespace(), Rfc3339.format(w.creationTimestamp()), w.labels(), null),
                new Target(w.apiVersion(), w.kind().kind(), w.name()),
                Rfc3339.format(refreshAt),
                GoDuration.format(window),
                amounts(total),
                containers,
                // A workload whose containers fell back (short history) says so: "presize-tribuo-sgd+vpa-krr".
                new ModelInfo(String.join("+", models), Rfc3339.format(trainedAt), samples,
                        round(confidenceSum / containers.size(), CONFIDENCE_DECIMALS)),
                conditions(incomplete(withoutCpu, withoutMemory, refreshAt, window),
                        TargetConditions.condition(targets, modelCpu, modelMemory, trainedAt))));
    }

    /** The object's conditions, in a fixed order, or null when there are none (api.md). */
    private static List<Condition> conditions(Condition... some) {
        List<Condition> out = new ArrayList<>();
        for (Condition c : some) {
            if (c != null) {
                out.add(c);
            }
        }
        return out.isEmpty() ? null : List.copyOf(out);
    }

    /**
     * The {@value #INCOMPLETE} condition when some container has no recommendation for a resource, else
     * null. Its lastTransitionTime is the refresh instant: every refresh recomputes it from the history,
     * and keeping an earlier time would need state that replicas do not share (api.md, replicas).
     */
    private static Condition incomplete(List<String> withoutCpu, List<String> withoutMemory, Instant refreshAt,
                                        Duration window) {
        if (withoutCpu.isEmpty() && withoutMemory.isEmpty()) {
            return null;
        }
        String reason = withoutMemory.isEmpty() ? NO_CPU_HISTORY
                : withoutCpu.isEmpty() ? NO_MEMORY_HISTORY : NO_CPU_OR_MEMORY_HISTORY;
        List<String> parts = new ArrayList<>();
        if (!withoutCpu.isEmpty()) {
            parts.add(missing("CPU", withoutCpu, window));
        }
        if (!withoutMemory.isEmpty()) {
            parts.add(missing("memory", withoutMemory, window));
        }
        return new Condition(INCOMPLETE, "True", reason, String.join("; ", parts), Rfc3339.format(refreshAt));
    }

    private static String missing(String resource, List<String> containers, Duration window) {
        String who = containers.size() == 1 ? "container " + containers.get(0)
                : "containers " + String.join(", ", containers);
        return "no " + resource + " usage data in the last " + GoDuration.format(window) + " for " + who + ", so "
                + resource + " is not recommended for " + (containers.size() == 1 ? "it" : "them")
                + " and the pod total has no " + resource;
    }

    /** Both sides in quantity form; a side not recommended (NaN) is absent (null). */
    private static ResourceAmounts amounts(Resources r) {
        return new ResourceAmounts(r.hasCpu() ? Quantities.cpu(r.cpuCores()) : null,
                r.hasMemory() ? Quantities.memory(r.memoryBytes()) : null);
    }

    private static ResourceAmounts current(ContainerSpec spec) {
        if (spec.cpuRequestCores() == null && spec.memoryRequestBytes() == null) {
            return null;
        }
        return new ResourceAmounts(
                spec.cpuRequestCores() == null ? null : Quantities.cpu(spec.cpuRequestCores()),
                spec.memoryRequestBytes() == null ? null : Quantities.memory(spec.memoryRequestBytes()));
    }

    private static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
