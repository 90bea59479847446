package dev.presize.history;

import java.util.Arrays;
import java.util.Objects;

/**
 * The usage history of one container of one workload: parallel arrays, one element per sample,
 * timestamps strictly increasing. Primitive arrays rather than a list of sample objects because a
 * backtest holds millions of samples (the full development trace has 8.4 M rows, ~24 bytes each
 * here against ~60 as objects).
 *
 * <p>The arrays are owned by this record and never modified after construction; they are not
 * copied, to keep memory flat, so callers must not modify them either.
 *
 * @param timestamps         epoch seconds, start of each sample
 * @param cpuCores           average CPU used over the sample, cores
 * @param memoryBytes        memory in use, bytes; {@code NaN} where not measured
 * @param cpuRequestCores    the provisioned CPU at the last sample; {@code NaN} if unknown
 * @param memoryRequestBytes the provisioned memory at the last sample; {@code NaN} if unknown
 * @param requestSteps       how the provisioned requests changed over the samples, or null when only
 *                           the last value is known
 */
public record ContainerSeries(
        String namespace,
        String workload,
        String container,
        long[] timestamps,
        double[] cpuCores,
        double[] memoryBytes,
        double cpuRequestCores,
        double memoryRequestBytes,
        RequestSteps requestSteps) {

    public ContainerSeries(String namespace, String workload, String container, long[] timestamps, double[] cpuCores,
                           double[] memoryBytes, double cpuRequestCores, double memoryRequestBytes) {
        this(namespace, workload, container, timestamps, cpuCores, memoryBytes, cpuRequestCores, memoryRequestBytes,
                null);
    }

    /** The provisioned {cpu, memory} at {@code t}: from the steps when known, else the last value. */
    public double[] requestsAt(long t) {
        return requestSteps == null ? new double[] {cpuRequestCores, memoryRequestBytes} : requestSteps.at(t);
    }

    public ContainerSeries {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(container, "container");
        if (timestamps.length != cpuCores.length || timestamps.length != memoryBytes.length) {
            throw new IllegalArgumentException("arrays of different lengths for " + namespace + "/" + workload
                    + "/" + container);
        }
    }

    public SeriesKey key() {
        return new SeriesKey(namespace, workload, container);
    }

    public int size() {
        return timestamps.length;
    }

    public boolean isEmpty() {
        return timestamps.length == 0;
    }

    /** Whether the trace gave a provisioned request (CPU or memory) for this series at any time. */
    public boolean hasRequests() {
        return !Double.isNaN(cpuRequestCores) || !Double.isNaN(memoryRequestBytes) || requestSteps != null
                && (Arrays.stream(requestSteps.cpu()).anyMatch(v -> !Double.isNaN(v))
                        || Arrays.stream(requestSteps.memory()).anyMatch(v -> !Double.isNaN(v)));
    }

    /** Number of samples with a measured memory value. */
    public int memorySamples() {
        int n = 0;
        for (double m : memoryBytes) {
            if (!Double.isNaN(m)) {
                n++;
            }
        }
        return n;
    }

    /** The samples with {@code fromInclusive <= t < toExclusive} (epoch seconds); requests unchanged. */
    public ContainerSeries between(long fromInclusive, long toExclusive) {
        int from = firstAtOrAfter(fromInclusive);
        int to = Math.max(from, firstAtOrAfter(toExclusive));
        if (from == 0 && to == timestamps.length) {
            return this;
        }
        return new ContainerSeries(namespace, workload, container,
                Arrays.copyOfRange(timestamps, from, to),
                Arrays.copyOfRange(cpuCores, from, to),
                Arrays.copyOfRange(memoryBytes, from, to),
                cpuRequestCores, memoryRequestBytes, requestSteps);
    }

    /** The same samples moved {@code seconds} later in time (earlier when negative). */
    public ContainerSeries shifted(long seconds) {
        if (seconds == 0) {
            return this;
        }
        long[] moved = new long[timestamps.length];
        for (int i = 0; i < moved.length; i++) {
            moved[i] = timestamps[i] + seconds;
        }
        RequestSteps steps = requestSteps;
        if (steps != null) {
            long[] times = steps.times().clone();
            for (int i = 0; i < times.length; i++) {
                times[i] += seconds;
            }
            steps = new RequestSteps(times, steps.cpu(), steps.memory());
        }
        return new ContainerSeries(namespace, workload, container, moved, cpuCores, memoryBytes,
                cpuRequestCores, memoryRequestBytes, steps);
    }

    private int firstAtOrAfter(long t) {
        int i = Arrays.binarySearch(timestamps, t);
        return i >= 0 ? i : -i - 1;
    }

    // Records compare arrays by reference; compare contents so equal histories are equal values.
    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerSeries s
                && namespace.equals(s.namespace) && workload.equals(s.workload) && container.equals(s.container)
                && Arrays.equals(timestamps, s.timestamps) && Arrays.equals(cpuCores, s.cpuCores)
                && Arrays.equals(memoryBytes, s.memoryBytes)
                && Double.compare(cpuRequestCores, s.cpuRequestCores) == 0
                && Double.compare(memoryRequestBytes, s.memoryRequestBytes) == 0
                && Objects.equals(requestSteps, s.requestSteps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, workload, container, Arrays.hashCode(timestamps), Arrays.hashCode(cpuCores),
                Arrays.hashCode(memoryBytes), cpuRequestCores, memoryRequestBytes);
    }

    @Override
    public String toString() {
        return "ContainerSeries[" + namespace + "/" + workload + "/" + container + ", " + size() + " samples"
                + (isEmpty() ? "" : ", " + timestamps[0] + ".." + timestamps[size() - 1]) + "]";
    }
}
