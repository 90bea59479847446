package dev.presize.history;

import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The demo's history: a recorded trace (by default the one shipped in the jar, {@code
 * demo/usage.csv.gz}) replayed shifted in time so that its last sample ends just at the asked-for
 * {@code end}. The demo thus always looks recent, and the answer depends only on {@code end} and the
 * window, never on when the process started, so replicas agree.
 */
@Singleton
@Requires(property = "presize.demo", value = "true")
public class TraceHistorySource implements UsageHistory {

    public static final String DEMO_TRACE = "demo/usage.csv.gz";

    private final List<ContainerSeries> trace;
    private final long firstTimestamp;
    private final long lastTimestamp;
    private final long sampleSeconds;

    /** The demo trace from the jar. */
    @Inject
    public TraceHistorySource() {
        this(loadResource(DEMO_TRACE));
    }

    public TraceHistorySource(List<ContainerSeries> trace) {
        this.trace = List.copyOf(trace);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int gapCount = 0;
        for (ContainerSeries s : this.trace) {
            long[] t = s.timestamps();
            if (t.length > 0) {
                first = Math.min(first, t[0]);
                last = Math.max(last, t[t.length - 1]);
                gapCount += t.length - 1;
            }
        }
        if (first == Long.MAX_VALUE) {
            throw new IllegalArgumentException("trace has no samples");
        }
        this.firstTimestamp = first;
        this.lastTimestamp = last;
        this.sampleSeconds = medianGap(this.trace, gapCount);
    }

    /**
     * The usual sample interval: the median gap between consecutive samples. Not the smallest gap,
     * because recorded timestamps jitter (Bitbrains has 299 s among its 300 s gaps), and not the mean,
     * because gaps in the data are long.
     */
    private static long medianGap(List<ContainerSeries> trace, int gapCount) {
        if (gapCount == 0) {
            return 1;
        }
        long[] gaps = new long[gapCount];
        int n = 0;
        for (ContainerSeries s : trace) {
            long[] t = s.timestamps();
            for (int i = 1; i < t.length; i++) {
                gaps[n++] = t[i] - t[i - 1];
            }
        }
        Arrays.sort(gaps);
        return gaps[gapCount / 2];
    }

    /** Reads a trace from the classpath (e.g. {@link #DEMO_TRACE}). */
    public static List<ContainerSeries> loadResource(String resource) {
        try (InputStream in = TraceHistorySource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("trace resource not found on the classpath: " + resource);
            }
            return new TraceReader().read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + resource + ": " + e.getMessage(), e);
        }
    }

    /**
     * The raw samples of the replay ending at {@code end}: every series with samples in
     * {@code [end - window, end)}, only those samples, moved so that the replay ends at {@code end}.
     */
    public List<ContainerSeries> history(Instant end, Duration window) {
        return history(null, end, window);
    }

    /** As {@link #history(Instant, Duration)}, for one namespace (all when null). */
    private List<ContainerSeries> history(String namespace, Instant end, Duration window) {
        long shift = shiftSeconds(end);
        long to = ceilSeconds(end) - shift;
        long from = ceilSeconds(end.minus(window)) - shift;
        List<ContainerSeries> result = new ArrayList<>(trace.size());
        for (ContainerSeries s : trace) {
            if (namespace != null && !s.namespace().equals(namespace)) {
                continue; // skipped before shifting: a refresh asks once per namespace
            }
            ContainerSeries inWindow = s.between(from, to);
            if (!inWindow.isEmpty()) {
                result.add(inWindow.shifted(shift));
            }
        }
        return result;
    }

    /**
     * The replayed trace as a cluster would report it, hourly: each series is a pod named after its
     * workload (the demo's workload source attributes it by name and container).
     */
    @Override
    public List<PodUsage> namespace(String namespace, Instant end, Duration window) {
        long from = end.getEpochSecond() - window.toSeconds();
        int hours = (int) (window.toSeconds() / HourlyUsage.HOUR);
        List<PodUsage> result = new ArrayList<>();
        for (ContainerSeries s : history(namespace, end, window)) {
            result.add(new PodUsage(namespace, s.workload(), s.container(), HourlyAggregator.aggregate(s, from, hours)));
        }
        return result;
    }

    /**
     * How far the trace is moved for a replay ending at {@code end}: the last sample then starts one
     * sample interval before {@code end}, so its whole averaging period lies before {@code end}.
     */
    public long shiftSeconds(Instant end) {
        return end.getEpochSecond() - sampleSeconds - lastTimestamp;
    }

    /** When the replay ending at {@code end} begins: the trace's first sample, shifted. */
    public Instant replayStart(Instant end) {
        return Instant.ofEpochSecond(firstTimestamp + shiftSeconds(end));
    }

    /** The whole trace, unshifted (e.g. for the requests in force at its end). */
    public List<ContainerSeries> trace() {
        return trace;
    }

    public long sampleSeconds() {
        return sampleSeconds;
    }

    private static long ceilSeconds(Instant t) {
        return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
    }
}
