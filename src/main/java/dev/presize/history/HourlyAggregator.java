package dev.presize.history;

import java.util.Arrays;

/**
 * Reduces samples to {@link HourlyUsage}: a trace's, and the 5-minute CPU rates fetched from
 * Prometheus (whose memory peaks Prometheus reduces itself, with the same result), so the backtest,
 * the demo and a live cluster feed the model the same input: the mean, the
 * {@link HourlyUsage#CPU_LEVELS} quantiles (Prometheus' {@code quantile_over_time} interpolation) and
 * the number of CPU samples per hour, and the largest memory sample per hour.
 */
public final class HourlyAggregator {

    private HourlyAggregator() {
    }

    /** Slots for {@code [start, start + hours h)}; samples outside are ignored. */
    public static HourlyUsage aggregate(ContainerSeries s, long start, int hours) {
        HourlyUsage.Builder out = HourlyUsage.builder(start, hours);
        reduce(s.timestamps(), s.cpuCores(), s.memoryBytes(), s.size(), out);
        return out.build();
    }

    /**
     * Fills the CPU fields (mean, quantiles, sample count) of the builder's slots from {@code n} CPU
     * samples, {@code t[i]} being the epoch second at which sample {@code i}'s interval starts, in
     * increasing order; memory and OOM are left as they are. Each hour is written from the samples
     * given here alone, so a caller that feeds a long window in parts must cut it at whole hours.
     * This is how {@link dev.presize.history.prometheus.PrometheusUsageHistory} reduces the 5-minute
     * rates it fetches, so that Prometheus and a trace give the same hours by construction.
     */
    public static void aggregateCpu(long[] t, double[] cpu, int n, HourlyUsage.Builder out) {
        reduce(t, cpu, null, n, out);
    }

    /** The hourly reduction; {@code mem == null}: CPU only. */
    private static void reduce(long[] t, double[] cpu, double[] mem, int size, HourlyUsage.Builder out) {
        long start = out.start();
        long end = start + out.hours() * HourlyUsage.HOUR;
        double[] buffer = new double[64];
        int i = firstAtOrAfter(t, size, start);
        while (i < size && t[i] < end) {
            int slot = out.slotOf(t[i]);
            long slotEnd = start + (slot + 1) * HourlyUsage.HOUR;
            int n = 0;
            double sum = 0;
            double memMax = Double.NaN;
            for (; i < size && t[i] < slotEnd; i++) {
                if (!Double.isNaN(cpu[i])) {
                    if (n == buffer.length) {
                        buffer = Arrays.copyOf(buffer, n * 2);
                    }
                    buffer[n++] = cpu[i];
                    sum += cpu[i];
                }
                if (mem != null && !Double.isNaN(mem[i]) && !(mem[i] <= memMax)) {
                    memMax = mem[i];
                }
            }
            if (mem != null) {
                out.memoryMax()[slot] = (float) memMax;
            }
            if (n > 0) {
                Arrays.sort(buffer, 0, n);
                out.cpuMean()[slot] = (float) (sum / n);
                for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
                    out.cpuQuantiles()[k][slot] = (float) quantile(buffer, n, HourlyUsage.CPU_LEVELS[k]);
                }
                out.samples()[slot] = (short) Math.min(n, Short.MAX_VALUE);
            }
        }
    }

    /** The slots covering all of the series' samples, from the whole hour at or before its first sample. */
    public static HourlyUsage aggregate(ContainerSeries s) {
        if (s.isEmpty()) {
            return HourlyUsage.empty(0, 0);
        }
        long start = Math.floorDiv(s.timestamps()[0], HourlyUsage.HOUR) * HourlyUsage.HOUR;
        long last = s.timestamps()[s.size() - 1];
        int hours = (int) ((last - start) / HourlyUsage.HOUR + 1);
        return aggregate(s, start, hours);
    }

    /**
     * Prometheus' quantile (promql/quantile.go {@code quantile}): rank = q × (n − 1), linear
     * interpolation between the neighbouring order statistics.
     */
    public static double quantile(double[] sorted, int n, double q) {
        double rank = q * (n - 1);
        int lower = (int) Math.max(0, Math.floor(rank));
        int upper = Math.min(n - 1, lower + 1);
        double weight = rank - Math.floor(rank);
        return sorted[lower] * (1 - weight) + sorted[upper] * weight;
    }

    private static int firstAtOrAfter(long[] t, int size, long x) {
        int i = Arrays.binarySearch(t, 0, size, x);
        return i >= 0 ? i : -i - 1;
    }
}
