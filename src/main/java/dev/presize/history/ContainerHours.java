package dev.presize.history;

import java.util.Arrays;

/**
 * The completed hours of one pod container held by {@link IncrementalUsageHistory}: the same figures
 * as {@link HourlyUsage}, in primitive arrays that cover only the span from the container's first
 * to its last hour with data (a pod that lived two hours costs two slots, not a whole window), grown
 * by doubling up to the window and trimmed at the front as hours leave it.
 *
 * <p>Slot {@code i} is the hour starting at {@code first + i h}. Not thread-safe: the refresh that
 * owns the cache is the only writer and reader (Refresher.refresh is synchronized).
 */
final class ContainerHours {

    private static final int LEVELS = HourlyUsage.CPU_LEVELS.length;
    /** Bytes per held hour: mean, the quantile levels and the memory peak as floats, the sample count, the OOM flag. */
    static final int BYTES_PER_HOUR = 4 * (2 + LEVELS) + 2 + 1;
    /** Object headers and array headers, roughly, for the bytes estimate. */
    private static final int OVERHEAD = 16 + 8 + 4 + 8 * 4 + (5 + LEVELS) * 16 + LEVELS * 4;

    private long first;
    private int length;
    private float[] mean = new float[0];
    private float[][] quantiles = new float[LEVELS][0];
    private float[] memory = new float[0];
    private short[] samples = new short[0];
    private boolean[] oom = new boolean[0];

    /** Epoch second of the first held hour. */
    long first() {
        return first;
    }

    /** Epoch second after the last held hour. */
    long end() {
        return first + length * HourlyUsage.HOUR;
    }

    boolean isEmpty() {
        return length == 0;
    }

    /** Bytes of heap these arrays take, about (capacity, not just the hours used). */
    long bytes() {
        return OVERHEAD + (long) mean.length * BYTES_PER_HOUR;
    }

    /** Whether the hour {@code slot} of {@code u} has anything: CPU samples, a memory peak or an OOM kill. */
    static boolean hasData(HourlyUsage u, int slot) {
        return u.samples()[slot] > 0 || !Float.isNaN(u.memoryMax()[slot]) || u.oomKilled()[slot];
    }

    /**
     * Copies the hours of {@code u} that have data and start at or after {@link #end()} (later hours
     * only: completed hours are never rewritten), at most {@code maxHours} held in all: older hours
     * are dropped first.
     */
    void append(HourlyUsage u, int maxHours) {
        int lo = 0;
        int hi = u.hours();
        while (lo < hi && !hasData(u, lo)) {
            lo++;
        }
        while (hi > lo && !hasData(u, hi - 1)) {
            hi--;
        }
        if (lo == hi) {
            return;
        }
        long from = u.start() + lo * HourlyUsage.HOUR;
        if (length == 0) {
            first = from;
        } else if (from < end()) {
            throw new IllegalStateException("hour " + from + " is already held (held until " + end() + ")");
        }
        long newEnd = u.start() + hi * HourlyUsage.HOUR;
        dropBefore(Math.max(first, newEnd - (long) maxHours * HourlyUsage.HOUR));
        if (length == 0) {
            first = Math.max(from, newEnd - (long) maxHours * HourlyUsage.HOUR);
        }
        int needed = (int) ((newEnd - first) / HourlyUsage.HOUR);
        ensureCapacity(needed, maxHours);
        // Hours between the old end and the new data (the container had no data then) stay missing.
        for (int i = length; i < needed; i++) {
            clear(i);
        }
        int srcLo = Math.max(lo, u.slotOf(first));
        for (int s = srcLo; s < hi; s++) {
            int d = (int) ((u.start() + s * HourlyUsage.HOUR - first) / HourlyUsage.HOUR);
            mean[d] = u.cpuMean()[s];
            for (int k = 0; k < LEVELS; k++) {
                quantiles[k][d] = u.cpuQuantiles()[k][s];
            }
            memory[d] = u.memoryMax()[s];
            samples[d] = u.samples()[s];
            oom[d] = u.oomKilled()[s];
        }
        length = needed;
    }

    /** Forgets the hours starting before {@code from}; then trims leading hours without data. */
    void dropBefore(long from) {
        int drop = (int) Math.min(length, Math.max(0, Math.floorDiv(from - first, HourlyUsage.HOUR)));
        while (drop < length && !hasData(drop)) {
            drop++;
        }
        if (drop == 0) {
            return;
        }
        int keep = length - drop;
        System.arraycopy(mean, drop, mean, 0, keep);
        for (float[] q : quantiles) {
            System.arraycopy(q, drop, q, 0, keep);
        }
        System.arraycopy(memory, drop, memory, 0, keep);
        System.arraycopy(samples, drop, samples, 0, keep);
        System.arraycopy(oom, drop, oom, 0, keep);
        first += drop * HourlyUsage.HOUR;
        length = keep;
        if (length == 0) {
            release();
        } else if (mean.length >= 64 && length < mean.length / 4) {
            resize(mean.length / 2); // a container that is winding down gives its memory back
        }
    }

    /** Whether any held hour in {@code [from, to)} has data. */
    boolean anyDataIn(long from, long to) {
        int lo = (int) Math.max(0, Math.floorDiv(from - first, HourlyUsage.HOUR));
        int hi = (int) Math.min(length, Math.max(0, Math.floorDiv(to - first, HourlyUsage.HOUR)));
        for (int i = lo; i < hi; i++) {
            if (hasData(i)) {
                return true;
            }
        }
        return false;
    }

    /** Writes the held hours that fall in the builder's slots into it. */
    void copyInto(HourlyUsage.Builder out) {
        int lo = Math.max(0, out.slotOf(first));
        int hi = Math.min(out.hours(), out.slotOf(end()));
        if (hi <= lo) {
            return;
        }
        int src = (int) ((out.start() + lo * HourlyUsage.HOUR - first) / HourlyUsage.HOUR);
        int n = hi - lo;
        System.arraycopy(mean, src, out.cpuMean(), lo, n);
        for (int k = 0; k < LEVELS; k++) {
            System.arraycopy(quantiles[k], src, out.cpuQuantiles()[k], lo, n);
        }
        System.arraycopy(memory, src, out.memoryMax(), lo, n);
        System.arraycopy(samples, src, out.samples(), lo, n);
        System.arraycopy(oom, src, out.oomKilled(), lo, n);
    }

    private boolean hasData(int i) {
        return samples[i] > 0 || !Float.isNaN(memory[i]) || oom[i];
    }

    private void clear(int i) {
        mean[i] = Float.NaN;
        for (float[] q : quantiles) {
            q[i] = Float.NaN;
        }
        memory[i] = Float.NaN;
        samples[i] = 0;
        oom[i] = false;
    }

    private void ensureCapacity(int needed, int maxHours) {
        if (needed <= mean.length) {
            return;
        }
        // Doubling keeps appends of one hour at a time amortised; never beyond the window.
        resize(Math.max(needed, Math.min(maxHours, Math.max(8, mean.length * 2))));
    }

    private void resize(int capacity) {
        mean = Arrays.copyOf(mean, capacity);
        for (int k = 0; k < LEVELS; k++) {
            quantiles[k] = Arrays.copyOf(quantiles[k], capacity);
        }
        memory = Arrays.copyOf(memory, capacity);
        samples = Arrays.copyOf(samples, capacity);
        oom = Arrays.copyOf(oom, capacity);
    }

    private void release() {
        resize(0);
        first = 0;
    }
}
