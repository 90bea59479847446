package dev.presize.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-day sums the bounds read, against a plain count over the samples. */
class DaySamplesTest {

    private static final long START = 1_700_000_000L / 3600 * 3600;

    @Test
    void slackVolumeAndSamplesAboveAreTheSumsOverTheDaysSamples() {
        Random random = new Random(7);
        long[] t = new long[24 * 4];
        double[] x = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = START + i * 3600L;
            // Missing samples, and repeated values so that a request can sit on a sample.
            x[i] = i % 5 == 0 ? Double.NaN : Math.round(random.nextDouble() * 20) * 5;
        }
        DaySamples days = DaySamples.of(t, x, START);
        assertEquals(4, days.days());
        for (int d = 0; d < 4; d++) {
            for (double request : new double[] {0, 17.5, 50, 99.9, 100, 250}) {
                double slack = 0;
                double unmet = 0;
                int above = 0;
                for (int i = d * 24; i < (d + 1) * 24; i++) {
                    if (!Double.isNaN(x[i])) {
                        slack += Math.max(0, request - x[i]);
                        unmet += Math.max(0, x[i] - request);
                        above += x[i] > request ? 1 : 0;
                    }
                }
                assertEquals(slack, days.slack(d, request), 1e-9, "slack, day " + d + " at " + request);
                assertEquals(unmet, days.unmet(d, request), 1e-9, "unmet, day " + d + " at " + request);
                assertEquals(above, days.count(d) - days.atOrUnder(d, request), "above, day " + d + " at " + request);
            }
        }
        // The p95 of days 1 and 2 (nearest rank), and the highest daily peak of the 2 days before day 3.
        double[] two = Arrays.stream(Arrays.copyOfRange(x, 24, 72)).filter(v -> !Double.isNaN(v)).sorted().toArray();
        assertEquals(two[(int) Math.ceil(0.95 * two.length) - 1], days.pastQuantile(3, 2, 0.95));
        assertEquals(two[two.length - 1], days.pastMax(3, 2));
        assertEquals(two[two.length - 1], days.pastQuantile(3, 2, 1));
    }
}
