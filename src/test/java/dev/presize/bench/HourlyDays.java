package dev.presize.bench;

import java.util.List;
import java.util.function.IntToDoubleFunction;

/** Hand-made series for the bounds' tests: one sample an hour for {@link #DAYS} days from {@link #START}. */
final class HourlyDays {

    static final long START = 1_700_000_000L / 3600 * 3600;
    static final int DAYS = 30;

    private HourlyDays() {
    }

    /** The value of each hour, by its index from {@link #START}. */
    static DaySamples of(IntToDoubleFunction hour) {
        long[] t = new long[DAYS * 24];
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = START + i * 3600L;
            v[i] = hour.applyAsDouble(i);
        }
        return DaySamples.of(t, v, START);
    }

    /** Each day's samples all at that day's level, so that its highest, p95 and p99 agree. */
    static DaySamples daily(double[] levels) {
        return of(i -> levels[i / 24]);
    }

    /** Two containers moving together: one at each day's level, the other at {@code multiple} times it. */
    static List<DaySamples> together(double[] levels, double multiple) {
        double[] scaled = new double[levels.length];
        for (int d = 0; d < levels.length; d++) {
            scaled[d] = multiple * levels[d];
        }
        return List.of(daily(levels), daily(scaled));
    }
}
