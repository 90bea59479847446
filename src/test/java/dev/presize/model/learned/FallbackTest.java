package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.HourlyUsage;
import dev.presize.model.Resources;
import org.junit.jupiter.api.Test;

/** KRR's simple rule read off hourly sketches, as the fallback serves it. */
class FallbackTest {

    private static HourlyUsage hours(int n, int samples, float[] knots, float memory) {
        HourlyUsage.Builder u = HourlyUsage.builder(0, n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < knots.length; k++) {
                u.cpuQuantiles()[k][i] = knots[k];
            }
            u.cpuMean()[i] = knots[0];
            u.samples()[i] = (short) samples;
            u.memoryMax()[i] = memory;
        }
        return u.build();
    }

    @Test
    void cpuIsTheNinetyFifthPercentileAndMemoryTheHighestPeakWithKrrsBuffer() {
        // 1 000 samples an hour: the knots are the levels' own quantiles, so the mixture's 0.95
        // quantile is the hours' p95 knot.
        HourlyUsage u = hours(10, 1000, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, 2e9f);
        Resources krr = Fallback.krr(u, 10);
        assertEquals(0.3, krr.cpuCores(), 1e-6);
        assertEquals(2e9 * 1.15, krr.memoryBytes(), 2e9 * 1e-6);
        // Only the hours before the origin are read.
        assertEquals(0.3, Fallback.krr(u, 5).cpuCores(), 1e-6);
    }

    @Test
    void fewerThanAHundredSamplesGiveNoAnswerAndTheMinimumsHold() {
        HourlyUsage few = hours(8, 12, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, 2e9f);
        Resources none = Fallback.krr(few, 8); // 96 samples
        assertTrue(Double.isNaN(none.cpuCores()) && Double.isNaN(none.memoryBytes()), none.toString());
        HourlyUsage tiny = hours(10, 12, new float[] {0.001f, 0.001f, 0.001f, 0.001f, 0.001f}, 1e6f);
        Resources floor = Fallback.krr(tiny, 10);
        assertEquals(0.010, floor.cpuCores(), 1e-12);
        assertEquals(100e6, floor.memoryBytes(), 1e-3);
        // Memory not measured: no memory answer, CPU still.
        HourlyUsage cpuOnly = hours(10, 12, new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f}, Float.NaN);
        Resources c = Fallback.krr(cpuOnly, 10);
        assertTrue(Double.isNaN(c.memoryBytes()) && c.cpuCores() > 0, c.toString());
    }
}
