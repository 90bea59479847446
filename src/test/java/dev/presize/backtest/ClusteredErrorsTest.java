package dev.presize.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.model.Resources;
import org.junit.jupiter.api.Test;

class ClusteredErrorsTest {

    private static final int DAYS = 4; // mem_exceeded_day_fraction's index in MEASURES

    /** A cell whose only measure is a memory day, exceeded or not. */
    private static double[] memoryDay(boolean exceeded) {
        double[] yx = new double[2 * ClusteredErrors.MEASURES.length];
        yx[2 * DAYS] = exceeded ? 1 : 0;
        yx[2 * DAYS + 1] = 1;
        return yx;
    }

    @Test
    void cellsThatShareNoDayAndNoSeriesGiveTheTextbookErrorOfAProportion() {
        ClusteredErrors e = new ClusteredErrors();
        boolean[] exceeded = {true, false, false, true};
        for (int i = 0; i < exceeded.length; i++) {
            e.add(i, "series-" + i, memoryDay(exceeded[i]));
        }
        // R = 1/2; residuals ±1/2; Σe² = 1, times 4/3; sqrt(4/3) / 4.
        assertEquals(Math.sqrt(4.0 / 3) / 4, e.standardError(DAYS), 1e-12);
    }

    @Test
    void aDayWhenEveryContainerIsOverItsRequestCountsAsOneObservationNotMany() {
        ClusteredErrors together = new ClusteredErrors();
        // Two series, two days: both over on the first day, neither on the second.
        together.add(1, "a", memoryDay(true));
        together.add(1, "b", memoryDay(true));
        together.add(2, "a", memoryDay(false));
        together.add(2, "b", memoryDay(false));
        ClusteredErrors apart = new ClusteredErrors();
        // The same four outcomes, each series over on a different day.
        apart.add(1, "a", memoryDay(true));
        apart.add(1, "b", memoryDay(false));
        apart.add(2, "a", memoryDay(false));
        apart.add(2, "b", memoryDay(true));
        // Days: residuals ±1, Σ = 2, times 2; series: 0; cells: 1 times 4/3. (4 − 4/3) = 8/3.
        assertEquals(Math.sqrt(8.0 / 3) / 4, together.standardError(DAYS), 1e-12);
        assertTrue(together.standardError(DAYS) > apart.standardError(DAYS),
                together.standardError(DAYS) + " against " + apart.standardError(DAYS));
    }

    @Test
    void aSingleDayOrASingleSeriesHasNoErrorToMeasure() {
        ClusteredErrors oneDay = new ClusteredErrors();
        oneDay.add(1, "a", memoryDay(true));
        oneDay.add(1, "b", memoryDay(false));
        assertTrue(Double.isNaN(oneDay.standardError(DAYS)));
        ClusteredErrors oneSeries = new ClusteredErrors();
        oneSeries.add(1, "a", memoryDay(true));
        oneSeries.add(2, "a", memoryDay(false));
        assertTrue(Double.isNaN(oneSeries.standardError(DAYS)));
    }

    @Test
    void mergedPartsGiveTheErrorOfTheWhole() {
        ClusteredErrors whole = new ClusteredErrors();
        ClusteredErrors first = new ClusteredErrors();
        ClusteredErrors second = new ClusteredErrors();
        for (int d = 0; d < 5; d++) {
            for (String s : new String[] {"a", "b", "c"}) {
                boolean over = (d * 7 + s.charAt(0)) % 3 == 0;
                whole.add(d, s, memoryDay(over));
                (s.equals("a") ? first : second).add(d, s, memoryDay(over));
            }
        }
        first.merge(second);
        assertEquals(whole.standardError(DAYS), first.standardError(DAYS), 1e-12);
    }

    @Test
    void twoStrategiesThatMoveTogetherDifferByLessThanEitherIsUncertain() {
        ClusteredErrors a = new ClusteredErrors();
        ClusteredErrors b = new ClusteredErrors();
        ClusteredErrors shifted = new ClusteredErrors();
        for (int d = 0; d < 6; d++) {
            for (String s : new String[] {"a", "b", "c"}) {
                // Both over on the same busy days; b also on one more day of series c.
                boolean busy = d % 3 == 0;
                a.add(d, s, memoryDay(busy));
                b.add(d, s, memoryDay(busy || (d == 1 && s.equals("c"))));
                shifted.add(d + 1, s, memoryDay(busy));
            }
        }
        double difference = ClusteredErrors.differenceError(a, b, DAYS);
        assertTrue(difference > 0 && difference < a.standardError(DAYS) / 3,
                difference + " against " + a.standardError(DAYS));
        assertEquals(0, ClusteredErrors.differenceError(a, a, DAYS), 1e-15, "no difference, no error");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ClusteredErrors.differenceError(a, shifted, DAYS));
        assertTrue(e.getMessage().contains("cell 0"), e.getMessage());
    }

    @Test
    void aScorecardGivesErrorsOnlyForTheResourcesItScored() {
        Scorecard s = new Scorecard();
        double[] nan = {Double.NaN, Double.NaN};
        for (int d = 0; d < 3; d++) {
            for (String series : new String[] {"a", "b"}) {
                double[] cpu = {1 + d, series.equals("a") ? 3 : 0.5};
                s.add(cpu, nan, 0, 2, new Resources(2, Double.NaN), true, false, d, series);
            }
        }
        assertEquals(java.util.List.of("cpu_slack_ratio", "cpu_underprovisioned_fraction", "cpu_unmet_ratio"),
                java.util.List.copyOf(s.standardErrors().keySet()));
        s.standardErrors().values().forEach(v -> assertTrue(v > 0, "every CPU measure varied: " + v));
    }
}
