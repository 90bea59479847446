package dev.presize.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link UsageHistory} that keeps the completed hours it has read in memory and asks its source
 * (Prometheus) only for the hours it does not hold yet: a completed hour never changes, so a refresh
 * every 15 minutes no longer recomputes 14 days. The answer is what the source would answer for the
 * same arguments: the same hours, reduced from the same samples, for the same pod containers.
 *
 * <p><b>Which hours are kept.</b> An hour is complete once its end is {@link #SETTLE} in the past:
 * a sample is timestamped at the start of its scrape but appended at its end (up to the scrape
 * timeout later), remote-write and agent setups deliver late, and VictoriaMetrics hides the newest
 * 30 s of data ({@code -search.latencyOffset}). Ten minutes is what Grafana Mimir's query-frontend
 * deems too fresh to cache ({@code -query-frontend.max-cache-freshness}, default 10m). Hours of the
 * window that end later are fetched on every refresh and not kept, so the served result is the
 * same as a full read at that instant. With the 15-minute grid the hour that ended at :00 is read
 * uncached at :00 and cached at :15; :30 and :45 ask nothing.
 *
 * <p><b>Chunks.</b> Missing hours are fetched per namespace in chunks of at most {@link #CHUNK_HOURS}
 * (one source call each: for Prometheus one CPU, one memory and one OOM query), so a first fill of
 * 14 days never sends a response near Prometheus' limits, and the number of queries grows with
 * namespaces and days, never with pods. {@link FillProgress} counts the chunks.
 *
 * <p><b>Failures.</b> A namespace's fetched chunks are applied only once all of them (and its
 * uncached hours) have arrived: a failed fetch leaves that namespace's hours as they were and
 * throws, and the refresh fails (Stale) as before. Namespaces completed earlier in the same refresh
 * keep their new hours: they are complete, correct hours, and the next refresh resumes from them.
 *
 * <p><b>Bounds.</b> Each container holds at most the window's hours ({@link ContainerHours} covers
 * only its span with data); hours that leave the window are dropped, a container whose last hour
 * left it is forgotten, and so is a namespace the refresh no longer asks for. A larger window than
 * held (a changed {@code --history}) or a gap since the last read refills the namespace. Nothing is
 * written to disk: a restart refills from the source.
 */
public final class IncrementalUsageHistory implements UsageHistory {

    private static final Logger LOG = LoggerFactory.getLogger(IncrementalUsageHistory.class);
    /** How long after its end an hour is taken as complete; see the class comment. */
    public static final Duration SETTLE = Duration.ofMinutes(10);
    /** Hours per fetch: a day, as the Prometheus source's CPU chunk. */
    public static final int CHUNK_HOURS = 24;
    private static final long H = HourlyUsage.HOUR;

    private final UsageHistory source;
    private final Clock clock;
    private final long settleSeconds;
    private final int chunkHours;
    private final FillProgress progress = new FillProgress();
    /** Guarded by this. */
    private final Map<String, NamespaceHours> held = new HashMap<>();
    private volatile long heldContainers;
    private volatile long heldBytes;
    private volatile long heldHours;

    public IncrementalUsageHistory(UsageHistory source, Clock clock) {
        this(source, clock, SETTLE, CHUNK_HOURS);
    }

    public IncrementalUsageHistory(UsageHistory source, Clock clock, Duration settle, int chunkHours) {
        if (settle.isNegative() || chunkHours < 1) {
            throw new IllegalArgumentException("settle must not be negative and chunkHours positive");
        }
        this.source = source;
        this.clock = clock;
        this.settleSeconds = settle.getSeconds();
        this.chunkHours = chunkHours;
    }

    public UsageHistory source() {
        return source;
    }

    public FillProgress progress() {
        return progress;
    }

    /** Pod containers held. */
    public long containers() {
        return heldContainers;
    }

    /** Heap bytes of the held hours' arrays, about. */
    public long bytes() {
        return heldBytes;
    }

    /** Container-hours held (slots with or without data between each container's first and last). */
    public long hours() {
        return heldHours;
    }

    /** {@link #bytes()} per held container; 0 when none. */
    public long bytesPerContainer() {
        long c = heldContainers;
        return c == 0 ? 0 : heldBytes / c;
    }

    @Override
    public synchronized void beginRefresh(Collection<String> namespaces, Instant end, Duration window) {
        // A namespace without workloads any more: its hours would never be read again.
        held.keySet().retainAll(new HashSet<>(namespaces));
        updateTotals();
        long chunks = 0;
        boolean fill = false;
        for (String ns : namespaces) {
            Plan p = plan(ns, end, window);
            chunks += p.chunks(chunkHours);
            fill |= p.missingHours() > chunkHours;
        }
        progress.begin(chunks, fill, namespaces.size());
    }

    @Override
    public synchronized void endRefresh(boolean complete) {
        progress.end(complete);
        if (complete) {
            LOG.info("Usage history: fetched {} chunks; holding {} pod containers, {} container-hours, {} KiB ({} bytes per container)",
                    progress.done(), heldContainers, heldHours, heldBytes >> 10, bytesPerContainer());
        }
    }

    @Override
    public synchronized List<PodUsage> namespace(String namespace, Instant end, Duration window) throws IOException {
        Plan p = plan(namespace, end, window);
        // Fetch everything first; nothing is applied unless all of it arrived.
        List<List<PodUsage>> fetched = new ArrayList<>();
        for (long from = p.fetchFrom; from < p.settledEnd; from += chunkHours * H) {
            long to = Math.min(p.settledEnd, from + chunkHours * H);
            fetched.add(source.namespace(namespace, Instant.ofEpochSecond(to), Duration.ofSeconds(to - from)));
            progress.chunkDone();
        }
        List<PodUsage> tail = List.of();
        if (p.tailFrom < p.end) {
            tail = source.namespace(namespace, end, Duration.ofSeconds(p.end - p.tailFrom));
            progress.chunkDone();
        }
        NamespaceHours hours = p.refill ? new NamespaceHours(p.start) : held.get(namespace);
        hours.dropBefore(p.start);
        int maxHours = (int) ((p.end - p.start) / H);
        for (List<PodUsage> chunk : fetched) {
            for (PodUsage u : chunk) {
                hours.container(u.pod(), u.container()).append(u.usage(), maxHours);
            }
        }
        hours.to = Math.max(hours.to, p.settledEnd);
        hours.removeEmpty();
        held.put(namespace, hours);
        updateTotals();
        return answer(namespace, hours, p, tail);
    }

    /** The window's hours: held ones from {@code hours}, the unsettled tail from {@code tail}, sorted like the source. */
    private static List<PodUsage> answer(String namespace, NamespaceHours hours, Plan p, List<PodUsage> tail) {
        int n = (int) ((p.end - p.start) / H);
        Map<String, Map<String, HourlyUsage.Builder>> out = new TreeMap<>();
        long heldEnd = Math.min(p.end, p.tailFrom);
        hours.pods.forEach((pod, containers) -> containers.forEach((container, h) -> {
            if (h.anyDataIn(p.start, heldEnd)) {
                HourlyUsage.Builder b = builderOf(out, pod, container, p.start, n);
                h.copyInto(b);
            }
        }));
        for (PodUsage u : tail) {
            if (anyData(u.usage())) {
                copy(u.usage(), builderOf(out, u.pod(), u.container(), p.start, n));
            }
        }
        List<PodUsage> list = new ArrayList<>();
        out.forEach((pod, containers) -> containers.forEach((container, b) ->
                list.add(new PodUsage(namespace, pod, container, b.build()))));
        return list;
    }

    private static HourlyUsage.Builder builderOf(Map<String, Map<String, HourlyUsage.Builder>> out, String pod,
                                                 String container, long start, int hours) {
        return out.computeIfAbsent(pod, k -> new TreeMap<>()).computeIfAbsent(container, k -> HourlyUsage.builder(start, hours));
    }

    private static boolean anyData(HourlyUsage u) {
        for (int i = 0; i < u.hours(); i++) {
            if (ContainerHours.hasData(u, i)) {
                return true;
            }
        }
        return false;
    }

    /** The slots of {@code u} into the builder's slots for the same hours. */
    private static void copy(HourlyUsage u, HourlyUsage.Builder out) {
        int lo = Math.max(0, out.slotOf(u.start()));
        int hi = Math.min(out.hours(), out.slotOf(u.end()));
        int src = u.slotOf(out.start() + lo * H);
        int len = hi - lo;
        if (len <= 0) {
            return;
        }
        System.arraycopy(u.cpuMean(), src, out.cpuMean(), lo, len);
        for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
            System.arraycopy(u.cpuQuantiles()[k], src, out.cpuQuantiles()[k], lo, len);
        }
        System.arraycopy(u.memoryMax(), src, out.memoryMax(), lo, len);
        System.arraycopy(u.samples(), src, out.samples(), lo, len);
        System.arraycopy(u.oomKilled(), src, out.oomKilled(), lo, len);
    }

    /**
     * What a read of {@code [end - window, end)} needs: settled hours {@code [fetchFrom, settledEnd)}
     * to fetch and keep, hours {@code [tailFrom, end)} to fetch and not keep.
     */
    private Plan plan(String namespace, Instant end, Duration window) {
        UsageHistory.requireWholeHours(end, window);
        long endSecond = end.getEpochSecond();
        long seconds = window.getSeconds();
        long start = endSecond - seconds;
        long settledLimit = Math.floorDiv(clock.instant().getEpochSecond() - settleSeconds, H) * H;
        long settledEnd = Math.max(start, Math.min(endSecond, settledLimit));
        NamespaceHours h = held.get(namespace);
        // Held hours must reach back to the window's start and leave no gap before it.
        boolean refill = h == null || start < h.from || start > h.to;
        long fetchFrom = refill ? start : h.to;
        // After this read the namespace holds [.., max(fetchFrom, settledEnd)); the rest is fetched and not kept.
        long tailFrom = Math.min(endSecond, Math.max(settledEnd, fetchFrom));
        return new Plan(start, endSecond, refill, fetchFrom, settledEnd, tailFrom);
    }

    private record Plan(long start, long end, boolean refill, long fetchFrom, long settledEnd, long tailFrom) {

        long missingHours() {
            return Math.max(0, (settledEnd - fetchFrom) / H);
        }

        long chunks(int chunkHours) {
            return (missingHours() + chunkHours - 1) / chunkHours + (tailFrom < end ? 1 : 0);
        }
    }

    private void updateTotals() {
        long containers = 0;
        long bytes = 0;
        long hours = 0;
        for (NamespaceHours h : held.values()) {
            for (Map<String, ContainerHours> pod : h.pods.values()) {
                for (ContainerHours c : pod.values()) {
                    containers++;
                    bytes += c.bytes();
                    hours += (c.end() - c.first()) / H;
                }
            }
        }
        heldContainers = containers;
        heldBytes = bytes;
        heldHours = hours;
    }

    /** One namespace's held hours: every container's settled hours in {@code [from, to)}. */
    private static final class NamespaceHours {
        /** First and after-last hour held; hours before {@code from} are not known. */
        long from;
        long to;
        final Map<String, Map<String, ContainerHours>> pods = new HashMap<>();

        NamespaceHours(long start) {
            this.from = start;
            this.to = start;
        }

        ContainerHours container(String pod, String container) {
            return pods.computeIfAbsent(pod, k -> new HashMap<>()).computeIfAbsent(container, k -> new ContainerHours());
        }

        void dropBefore(long start) {
            from = Math.max(from, start);
            to = Math.max(to, from);
            pods.values().forEach(cs -> cs.values().forEach(c -> c.dropBefore(start)));
        }

        void removeEmpty() {
            pods.values().forEach(cs -> cs.values().removeIf(ContainerHours::isEmpty));
            pods.values().removeIf(Map::isEmpty);
        }
    }
}
