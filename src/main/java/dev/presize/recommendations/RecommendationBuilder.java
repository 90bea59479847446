package dev.presize.recommendations;

import dev.presize.history.ContainerSeries;
import dev.presize.history.SeriesKey;
import dev.presize.model.GoDuration;
import dev.presize.model.Quantities;
import dev.presize.model.Recommendation;
import dev.presize.model.Recommender;
import dev.presize.model.Resources;
import dev.presize.model.Rfc3339;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadNaming;
import dev.presize.workloads.WorkloadRef;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns workloads and their usage history into the {@link Requests} objects of one refresh. A pure
 * function of its inputs (no clock, no randomness), so replicas given the same history build
 * identical objects.
 *
 * <p>A container with no usable history is left out of {@code containers} and of the pod total; a
 * workload none of whose containers has usable history gets no object (the API answers 404).
 */
public final class RecommendationBuilder {

    // Served confidence is rounded so that noise in the last bits never changes an object's content.
    private static final int CONFIDENCE_DECIMALS = 2;

    private final Recommender recommender;

    public RecommendationBuilder(Recommender recommender) {
        this.recommender = recommender;
    }

    /**
     * @param workloads the workloads to recommend for
     * @param histories container series keyed by namespace, workload name and container; only the
     *                  samples with {@code refreshAt - window <= t < refreshAt} are used
     * @param refreshAt the refresh grid instant: the objects' {@code timestamp} and training time
     * @param window    how much history a recommendation uses (served as {@code window})
     * @return one object per workload with usable history, sorted by namespace and name
     */
    public List<Requests> build(List<Workload> workloads, List<ContainerSeries> histories, Instant refreshAt,
                                Duration window) {
        Map<SeriesKey, ContainerSeries> byKey = new HashMap<>();
        for (ContainerSeries s : histories) {
            if (byKey.put(s.key(), s) != null) {
                throw new IllegalArgumentException("two histories for " + s.key());
            }
        }
        Map<WorkloadRef, String> names = WorkloadNaming.assign(workloads);
        long from = ceilSeconds(refreshAt.minus(window));
        long to = ceilSeconds(refreshAt);
        List<Requests> result = new ArrayList<>();
        for (Workload w : workloads) {
            String name = names.get(w.ref());
            if (name != null) {
                build(w, name, byKey, from, to, refreshAt, window).ifPresent(result::add);
            }
        }
        result.sort(Snapshot.ORDER);
        return result;
    }

    private Optional<Requests> build(Workload w, String name, Map<SeriesKey, ContainerSeries> histories, long from,
                                     long to, Instant refreshAt, Duration window) {
        List<ContainerRequests> containers = new ArrayList<>();
        Resources total = Resources.ZERO;
        long samples = 0;
        double confidenceSum = 0;
        for (ContainerSpec spec : w.containers()) {
            ContainerSeries series = histories.get(new SeriesKey(w.namespace(), w.name(), spec.name()));
            if (series == null) {
                continue;
            }
            Optional<Recommendation> found = recommender.recommend(series.between(from, to), spec, window);
            if (found.isEmpty()) {
                continue;
            }
            Recommendation r = found.get();
            containers.add(new ContainerRequests(spec.name(), amounts(r.requests()), amounts(r.lowerBound()),
                    amounts(r.upperBound()), current(spec)));
            // The pod total is the sum of the container values as served, so a client that adds up
            // containers[].requests (as the scheduler will once they are applied) gets resources exactly.
            total = total.plus(Quantities.asServed(r.requests()));
            samples += r.samples();
            confidenceSum += r.confidence();
        }
        if (containers.isEmpty()) {
            return Optional.empty();
        }
        String refreshed = Rfc3339.format(refreshAt);
        return Optional.of(new Requests(
                Requests.API_VERSION,
                Requests.KIND,
                new ObjectMeta(name, w.namespace(), Rfc3339.format(w.creationTimestamp()), w.labels(), null),
                new Target(w.kind().apiVersion(), w.kind().kind(), w.name()),
                refreshed,
                GoDuration.format(window),
                amounts(total),
                containers,
                new ModelInfo(recommender.name(), refreshed, samples,
                        round(confidenceSum / containers.size(), CONFIDENCE_DECIMALS)),
                null));
    }

    private static ResourceAmounts amounts(Resources r) {
        return new ResourceAmounts(Quantities.cpu(r.cpuCores()), Quantities.memory(r.memoryBytes()));
    }

    private static ResourceAmounts current(ContainerSpec spec) {
        if (spec.cpuRequestCores() == null && spec.memoryRequestBytes() == null) {
            return null;
        }
        return new ResourceAmounts(
                spec.cpuRequestCores() == null ? null : Quantities.cpu(spec.cpuRequestCores()),
                spec.memoryRequestBytes() == null ? null : Quantities.memory(spec.memoryRequestBytes()));
    }

    /** Whole epoch seconds t with t >= instant (samples are whole seconds). */
    private static long ceilSeconds(Instant instant) {
        return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
    }

    private static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
