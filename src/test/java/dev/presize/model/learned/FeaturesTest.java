package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.HourlyUsage;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeaturesTest {

    private static final long START = 1_700_000_000L / 3600 * 3600;
    private static final int HOURS = 20 * 24;

    /** A daily CPU cycle around {@code cpu} cores and memory around {@code memory} bytes, with noise. */
    private static HourlyUsage.Builder usage(double cpu, double memory, long seed) {
        HourlyUsage.Builder u = HourlyUsage.builder(START, HOURS);
        Random random = new Random(seed);
        for (int i = 0; i < HOURS; i++) {
            double level = cpu * (1 + 0.5 * Math.sin(2 * Math.PI * i / 24)) * (0.8 + 0.4 * random.nextDouble());
            u.cpuMean()[i] = (float) level;
            double[] factors = {1.0, 1.3, 1.4, 1.6, 1.8};
            for (int k = 0; k < factors.length; k++) {
                u.cpuQuantiles()[k][i] = (float) (level * factors[k]);
            }
            u.samples()[i] = 12;
            u.memoryMax()[i] = (float) (memory * (0.9 + 0.2 * random.nextDouble()));
        }
        return u;
    }

    private static int index(String name) {
        int i = Arrays.asList(Features.NAMES).indexOf(name);
        assertTrue(i >= 0, name);
        return i;
    }

    @Test
    void oneValuePerNameAndNoneMissing() {
        Features.Row row = Features.compute(usage(0.5, 1e9, 1).build(), 10 * 24, 1.0, 2e9);
        assertEquals(Features.NAMES.length, row.values().length);
        assertEquals(Features.NAMES.length, Arrays.stream(Features.NAMES).distinct().count());
        for (double v : row.values()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void featuresAreRelativeToTheContainersOwnScale() {
        // The same shape ten times larger: every feature but the log-scales is the same, so one global
        // model serves small and large containers alike.
        Features.Row small = Features.compute(usage(0.05, 1e8, 3).build(), 10 * 24, 0.2, 4e8);
        Features.Row large = Features.compute(scaled(usage(0.05, 1e8, 3), 10).build(), 10 * 24, 2.0, 4e9);
        assertEquals(small.cpuScale() * 10, large.cpuScale(), small.cpuScale() * 1e-5);
        assertEquals(small.memoryScale() * 10, large.memoryScale(), small.memoryScale() * 1e-5);
        List<Integer> scales = List.of(index("cpu_log_scale"), index("mem_log_scale"));
        for (int i = 0; i < Features.NAMES.length; i++) {
            if (scales.contains(i)) {
                assertEquals(Math.log(10), large.values()[i] - small.values()[i], 1e-5, Features.NAMES[i]);
            } else {
                assertEquals(small.values()[i], large.values()[i], 1e-5, Features.NAMES[i]);
            }
        }
    }

    @Test
    void nothingAtOrAfterTheOriginIsRead() {
        int origin = 12 * 24 + 5;
        HourlyUsage u = usage(0.3, 5e8, 5).build();
        Features.Row before = Features.compute(u, origin, 1, 1e9);
        HourlyUsage.Builder changed = usage(0.3, 5e8, 5);
        for (int i = origin; i < HOURS; i++) {
            changed.cpuMean()[i] = 100;
            for (float[] q : changed.cpuQuantiles()) {
                q[i] = 100;
            }
            changed.memoryMax()[i] = 1e12f;
            changed.oomKilled()[i] = true;
        }
        Features.Row after = Features.compute(changed.build(), origin, 1, 1e9);
        assertArrayEquals(before.values(), after.values());
        assertEquals(before.cpuScale(), after.cpuScale());
        assertEquals(before.memoryPeak(), after.memoryPeak());
        assertFalse(after.oomKilled());
    }

    @Test
    void theCpuScaleIsThePastWeeksP95() {
        HourlyUsage u = usage(1, 1e9, 9).build();
        int origin = 15 * 24;
        assertEquals(CpuDistribution.quantile(u, origin - 168, origin, 0.95),
                Features.compute(u, origin, Double.NaN, Double.NaN).cpuScale(), 1e-12);
    }

    @Test
    void aGrowingContainerShowsItsTrend() {
        HourlyUsage.Builder u = usage(0.5, 1e9, 13);
        for (int i = 0; i < HOURS; i++) {
            u.memoryMax()[i] = (float) (1e9 * (1 + i / 100.0));
        }
        Features.Row row = Features.compute(u.build(), 15 * 24, Double.NaN, Double.NaN);
        assertTrue(row.values()[index("mem_trend_day_vs_week")] == 0, "the latest day holds the week's peak");
        assertTrue(row.values()[index("mem_max_336h")] == 0, "scale is the week's peak, the last day's");
        // The week before hour 360 is hours 192..359; its median (84th of 168, nearest rank) is hour 275.
        assertEquals(Math.log((1 + 275 / 100.0) / (1 + 359 / 100.0)), row.values()[index("mem_median_hourly_max_168h")],
                1e-5);
    }

    @Test
    void noCpuBeforeTheOriginMeansNoRow() {
        HourlyUsage u = HourlyUsage.empty(START, HOURS);
        assertNull(Features.compute(u, 5 * 24, 1, 1e9));
    }

    @Test
    void withoutMemoryDataTheMemoryFeaturesAreNeutral() {
        HourlyUsage.Builder u = usage(0.5, 1e9, 17);
        Arrays.fill(u.memoryMax(), Float.NaN);
        Features.Row row = Features.compute(u.build(), 10 * 24, 1, 1e9);
        assertTrue(Double.isNaN(row.memoryScale()));
        assertTrue(Double.isNaN(row.memoryPeak()));
        assertEquals(0, row.values()[index("mem_max_168h")]);
        assertNotEquals(0, row.values()[index("cpu_log_scale")]);
    }

    @Test
    void anOomKillBeforeTheOriginIsAFeature() {
        HourlyUsage.Builder u = usage(0.5, 1e9, 19);
        u.oomKilled()[3] = true;
        Features.Row row = Features.compute(u.build(), 10 * 24, 1, 1e9);
        assertTrue(row.oomKilled());
        assertEquals(1, row.values()[index("oom_killed")]);
    }

    private static HourlyUsage.Builder scaled(HourlyUsage.Builder u, double k) {
        for (int i = 0; i < u.hours(); i++) {
            u.cpuMean()[i] *= k;
            for (float[] q : u.cpuQuantiles()) {
                q[i] *= k;
            }
            u.memoryMax()[i] *= k;
        }
        return u;
    }
}
