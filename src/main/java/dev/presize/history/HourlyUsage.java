package dev.presize.history;

import java.util.Arrays;
import java.util.Objects;

/**
 * One container's usage reduced to one slot per hour: what the model reads, whether it came from
 * Prometheus (which does the reduction with {@code quantile_over_time} and friends, so responses stay
 * small) or from a trace file ({@link HourlyAggregator}, which reproduces the same reduction).
 *
 * <p>Slot {@code i} covers the samples that <em>start</em> in {@code [start + i h, start + (i+1) h)}.
 * A CPU sample is the average use over its (5-minute) interval, i.e. what
 * {@code rate(container_cpu_usage_seconds_total[5m])} reports at the interval's end. Hours without
 * samples hold {@code NaN} (and 0 in {@link #samples}).
 *
 * <p>Floats, not doubles: a refresh holds 14 days × thousands of containers, and the values are
 * measurements with far fewer than 7 significant digits. Arrays are owned by the record and never
 * modified after construction: the code that reduces samples to hours fills a {@link Builder}, which
 * hands its arrays over once, finished; callers must not modify them either.
 *
 * @param start        epoch seconds of the first slot, a whole hour
 * @param cpuMean      mean of the hour's CPU samples, cores
 * @param cpuQuantiles {@code cpuQuantiles[k][i]}: the {@link #CPU_LEVELS}{@code [k]} quantile of
 *                     slot {@code i}'s CPU samples, interpolated like Prometheus'
 *                     {@code quantile_over_time}; the last level (1.0) is the maximum
 * @param memoryMax    largest working-set sample of the hour, bytes; {@code NaN} when not measured
 * @param samples      number of CPU samples in the hour
 * @param oomKilled    whether the container was seen terminated by the OOM killer in the hour
 */
public record HourlyUsage(long start, float[] cpuMean, float[][] cpuQuantiles, float[] memoryMax, short[] samples,
                          boolean[] oomKilled) {

    public static final long HOUR = 3600;

    /**
     * The CPU quantile levels kept per hour. Enough knots to read the share of samples above a
     * candidate request (the CPU risk) off an hour with piecewise-linear interpolation around the
     * usual targets (1–10 % risk), few enough that Prometheus answers one query per level.
     */
    public static final double[] CPU_LEVELS = {0.5, 0.9, 0.95, 0.99, 1.0};

    public HourlyUsage {
        if (start % HOUR != 0) {
            throw new IllegalArgumentException("start must be a whole hour, got " + start);
        }
        int n = cpuMean.length;
        if (cpuQuantiles.length != CPU_LEVELS.length) {
            throw new IllegalArgumentException("expected " + CPU_LEVELS.length + " CPU levels, got " + cpuQuantiles.length);
        }
        for (float[] q : cpuQuantiles) {
            if (q.length != n) {
                throw new IllegalArgumentException("CPU quantile arrays of different lengths");
            }
        }
        if (memoryMax.length != n || samples.length != n || oomKilled.length != n) {
            throw new IllegalArgumentException("arrays of different lengths");
        }
    }

    /** All-missing usage for {@code hours} slots from {@code start}. */
    public static HourlyUsage empty(long start, int hours) {
        return builder(start, hours).build();
    }

    /** A builder for {@code hours} slots from {@code start}, every slot missing until filled. */
    public static Builder builder(long start, int hours) {
        return new Builder(start, hours);
    }

    private static float[] nans(int n) {
        float[] a = new float[n];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    public int hours() {
        return cpuMean.length;
    }

    /** Epoch seconds just after the last slot. */
    public long end() {
        return start + hours() * HOUR;
    }

    /** The slot index of the hour containing {@code epochSecond} (may be out of range). */
    public int slotOf(long epochSecond) {
        return (int) Math.floorDiv(epochSecond - start, HOUR);
    }

    public boolean hasCpu(int slot) {
        return samples[slot] > 0 && !Float.isNaN(cpuMean[slot]);
    }

    public boolean hasMemory(int slot) {
        return !Float.isNaN(memoryMax[slot]);
    }

    /** The hourly maximum CPU (the last level). */
    public float cpuMax(int slot) {
        return cpuQuantiles[CPU_LEVELS.length - 1][slot];
    }

    /**
     * The hours {@code [from, to)} of this usage as new usage starting at slot {@code from}; slots
     * outside this usage are missing. Copies, so the original can be released.
     */
    public HourlyUsage slice(int from, int to) {
        Builder out = builder(start + from * HOUR, Math.max(0, to - from));
        int lo = Math.max(0, from);
        int hi = Math.min(to, hours());
        if (hi > lo) {
            System.arraycopy(cpuMean, lo, out.cpuMean(), lo - from, hi - lo);
            for (int k = 0; k < cpuQuantiles.length; k++) {
                System.arraycopy(cpuQuantiles[k], lo, out.cpuQuantiles()[k], lo - from, hi - lo);
            }
            System.arraycopy(memoryMax, lo, out.memoryMax(), lo - from, hi - lo);
            System.arraycopy(samples, lo, out.samples(), lo - from, hi - lo);
            System.arraycopy(oomKilled, lo, out.oomKilled(), lo - from, hi - lo);
        }
        return out.build();
    }

    public boolean anyOomKill() {
        for (boolean b : oomKilled) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    // Records compare arrays by reference; compare contents so equal histories are equal values.
    @Override
    public boolean equals(Object o) {
        return o instanceof HourlyUsage h && start == h.start && Arrays.equals(cpuMean, h.cpuMean)
                && Arrays.deepEquals(cpuQuantiles, h.cpuQuantiles) && Arrays.equals(memoryMax, h.memoryMax)
                && Arrays.equals(samples, h.samples) && Arrays.equals(oomKilled, h.oomKilled);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, Arrays.hashCode(cpuMean), Arrays.deepHashCode(cpuQuantiles),
                Arrays.hashCode(memoryMax), Arrays.hashCode(samples), Arrays.hashCode(oomKilled));
    }

    @Override
    public String toString() {
        return "HourlyUsage[" + start + " + " + hours() + "h]";
    }

    /**
     * The arrays of one {@link HourlyUsage} while they are being filled (slot by slot, query by query,
     * pod by pod), every slot missing to begin with. {@link #build()} hands the arrays to the record
     * without copying and closes the builder, so nothing can write to them afterwards.
     */
    public static final class Builder {

        private final long start;
        private final int hours;
        private float[] cpuMean;
        private float[][] cpuQuantiles;
        private float[] memoryMax;
        private short[] samples;
        private boolean[] oomKilled;

        private Builder(long start, int hours) {
            this.start = start;
            this.hours = hours;
            this.cpuMean = nans(hours);
            this.cpuQuantiles = new float[CPU_LEVELS.length][];
            for (int k = 0; k < cpuQuantiles.length; k++) {
                cpuQuantiles[k] = nans(hours);
            }
            this.memoryMax = nans(hours);
            this.samples = new short[hours];
            this.oomKilled = new boolean[hours];
        }

        public long start() {
            return start;
        }

        public int hours() {
            return hours;
        }

        /** The slot index of the hour containing {@code epochSecond} (may be out of range). */
        public int slotOf(long epochSecond) {
            return (int) Math.floorDiv(epochSecond - start, HOUR);
        }

        public float[] cpuMean() {
            open();
            return cpuMean;
        }

        public float[][] cpuQuantiles() {
            open();
            return cpuQuantiles;
        }

        public float[] memoryMax() {
            open();
            return memoryMax;
        }

        public short[] samples() {
            open();
            return samples;
        }

        public boolean[] oomKilled() {
            open();
            return oomKilled;
        }

        /** The usage, owning the arrays filled so far; the builder cannot be used afterwards. */
        public HourlyUsage build() {
            open();
            HourlyUsage out = new HourlyUsage(start, cpuMean, cpuQuantiles, memoryMax, samples, oomKilled);
            cpuMean = null;
            cpuQuantiles = null;
            memoryMax = null;
            samples = null;
            oomKilled = null;
            return out;
        }

        private void open() {
            if (cpuMean == null) {
                throw new IllegalStateException("this usage was already built; its arrays belong to it");
            }
        }
    }
}
