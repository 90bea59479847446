package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cold start's level on curves small enough to work out by hand. */
class ColdStartTest {

    private static final double[] NOTHING_ABOVE = {0, 0, 0, 0};
    private static final double[] LADDER = {1, 2, 3, 4};

    @Test
    void theLevelSpendsThePooledBudgetWhereItIsCheapestAndNoFurther() {
        // Risk target 1/16 (binary fractions, so that sums are exact). A holds it only at its third
        // candidate (1/32), B at its third (0); B's second (3/32) fits once the factor reaches 1.5 and
        // pools to (1/32 + 3/32) / 2 = 1/16, exactly the target; A's second (1/8) would need a factor
        // of 2 and pool to 7/64: over it.
        ColdStart.Own a = new ColdStart.Own(LADDER, new double[] {0.5, 0.125, 0.03125, 0}, NOTHING_ABOVE, 1);
        ColdStart.Own b = new ColdStart.Own(LADDER, new double[] {0.5, 0.09375, 0, 0}, NOTHING_ABOVE, 1);
        ColdStart level = ColdStart.level(List.of(a, b), 0.0625, 0.5);
        assertTrue(level.scale() >= 1.5 && level.scale() < 2, level.toString());
        assertEquals(2, a.choose(level.scale() * 0.0625, level.scale() * 0.5));
        assertEquals(1, b.choose(level.scale() * 0.0625, level.scale() * 0.5));
        assertEquals(0.0625, level.risk(), 0, "the pooled share of samples above the chosen requests");
        assertEquals(0, level.unmet(), 0);
    }

    @Test
    void theVolumeIsPooledByUsageSoABigContainerCountsForMore() {
        // Unmet target 10 % of the usage. C and D each hold it at their third candidate (5 % and 0);
        // D's second leaves 12 % of its usage above it, which fits pooled with C's 5 % when the two
        // use alike, (5 + 12) / 2 = 8.5 %, but not when D uses three times C's CPU:
        // (0.05 + 0.36) / 4 = 10.25 %.
        double[] noRisk = {0, 0, 0, 0};
        ColdStart.Own c = new ColdStart.Own(LADDER, noRisk, new double[] {0.5, 0.2, 0.05, 0}, 1);
        ColdStart.Own alike = new ColdStart.Own(LADDER, noRisk, new double[] {0.5, 0.12, 0, 0}, 1);
        ColdStart.Own big = new ColdStart.Own(LADDER, noRisk, new double[] {1.5, 0.36, 0, 0}, 3);
        ColdStart same = ColdStart.level(List.of(c, alike), 0.5, 0.1);
        assertTrue(same.scale() >= 1.2 && same.scale() < 2, same.toString());
        assertEquals(0.085, same.unmet(), 1e-12);
        ColdStart heavier = ColdStart.level(List.of(c, big), 0.5, 0.1);
        assertTrue(heavier.scale() < 1.2, heavier.toString());
        assertEquals(2, big.choose(heavier.scale() * 0.5, heavier.scale() * 0.1));
        assertEquals(0.0125, heavier.unmet(), 1e-12);
    }

    @Test
    void theLevelIsReallocatedWherePricesCoverTheSameSamplesForLessWithoutMoreVolume() {
        // Risk target 0.1, the volume target loose. The level holds 0.1 at each container's own:
        // steady S at 1.05 (a tenth of its samples above), bursty B at 3 (a tenth above), 4.05 in
        // all, leaving (0.05 + 0.04) / 2 of the volume above; B's 2 (0.12) would pool over the
        // target. Covering S whole (1.1) frees the samples for B at 2: 3.1 in all, (0 + 0.12) / 2 =
        // 0.06 of the samples and (0 + 0.06) / 2 = 0.03 of the volume, the least total that holds
        // both; at μ 2 and λ 0 each container picks just that.
        ColdStart.Own steady = steady();
        ColdStart.Own bursty = bursty(0.06);
        List<ColdStart.Own> both = List.of(steady, bursty);
        ColdStart level = ColdStart.level(both, 0.1, 1);
        assertEquals(1, steady.choose(level.scale() * 0.1, level.scale() * 1));
        assertEquals(2, bursty.choose(level.scale() * 0.1, level.scale() * 1));
        assertEquals(0.045, level.unmet(), 1e-12);
        ColdStart cold = ColdStart.reallocated(level, both, 0.1, 1, 1);
        assertTrue(cold.prices() != null, cold.toString());
        assertEquals(0.06, cold.risk(), 1e-12);
        assertEquals(0.03, cold.unmet(), 1e-12);
        assertEquals(2, Lagrangian.choose(steady.requests(), steady.risk(), steady.unmet(), cold.prices(), 1));
        assertEquals(1, Lagrangian.choose(bursty.requests(), bursty.risk(), bursty.unmet(), cold.prices(), 1));
        assertEquals(level.scale(), cold.scale(), 0);
    }

    @Test
    void noPricesWhenNothingIsCheaperThanTheLevelWithinItsVolume() {
        // As above, but B's 2 leaves 0.1 of its usage above it: with S covered whole the pool would
        // hold (0 + 0.1) / 2 = 0.05 of the volume, over the level's 0.045, and every cheaper pair
        // leaves more samples above than the target.
        List<ColdStart.Own> both = List.of(steady(), bursty(0.1));
        ColdStart level = ColdStart.level(both, 0.1, 1);
        ColdStart cold = ColdStart.reallocated(level, both, 0.1, 1, 1);
        assertEquals(level, cold);
        assertEquals(null, cold.prices());
    }

    /** A steady container: a tenth of its samples above 1.05, none above 1.1. */
    private static ColdStart.Own steady() {
        return new ColdStart.Own(new double[] {1, 1.05, 1.1, 4}, new double[] {0.5, 0.1, 0, 0},
                new double[] {0.2, 0.05, 0, 0}, 1);
    }

    /** A bursty container: 0.12 of its samples above 2, leaving {@code unmetAt2} of its usage above it. */
    private static ColdStart.Own bursty(double unmetAt2) {
        return new ColdStart.Own(LADDER, new double[] {0.3, 0.12, 0.1, 0}, new double[] {0.5, unmetAt2, 0.04, 0}, 1);
    }

    @Test
    void thePricesAreSearchedOnTheCalibrationsGridCutIntoEqualStepsOfTheirLogarithm() {
        double[] mu = ColdStart.finer(new double[] {0, 3, 15}, 4, true);
        double[] lambda = ColdStart.finer(new double[] {0, 0.5, 8}, 4, false);
        assertEquals(9, mu.length);
        assertEquals(9, lambda.length);
        for (int k = 0; k <= 2; k++) {
            assertEquals(new double[] {0, 3, 15}[k], mu[4 * k], 1e-12, "the calibration's points are on it");
            assertEquals(new double[] {0, 0.5, 8}[k], lambda[4 * k], 1e-12);
        }
        // 1 + μ from 1 to 4 in four equal ratios (√2 each), then from 4 to 16 (also √2 each).
        for (int k = 1; k < mu.length; k++) {
            assertEquals(Math.sqrt(2), (1 + mu[k]) / (1 + mu[k - 1]), 1e-12, "step " + k);
        }
        // λ: linear from 0 to its first positive point, then geometric (8 / 0.5 = 2^4: ×2 each step).
        assertEquals(0.125, lambda[1], 1e-12);
        assertEquals(0.375, lambda[3], 1e-12);
        assertEquals(1, lambda[5], 1e-12);
        assertEquals(4, lambda[7], 1e-12);
        // The grid the cold start uses: every calibration point, eight steps between each two.
        assertEquals((Lagrangian.MU.length - 1) * ColdStart.GRID_SUBSTEPS + 1, ColdStart.MU_GRID.length);
        assertEquals(Lagrangian.LAMBDA[Lagrangian.LAMBDA.length - 1],
                ColdStart.LAMBDA_GRID[ColdStart.LAMBDA_GRID.length - 1], 0);
    }

    @Test
    void aContainerThatHoldsNothingGetsItsTopCandidate() {
        assertEquals(3, ColdStart.choose(new double[] {0.9, 0.8, 0.7, 0.6}, NOTHING_ABOVE, 1, 0.05, 0.02));
        assertEquals(0, ColdStart.choose(new double[] {0.01, 0, 0, 0}, NOTHING_ABOVE, 1, 0.05, 0.02));
    }

    @Test
    void theColdStartLastsUntilSomeContainerHasHistoryBeforeAllButOneCalibrationDay() {
        // 10 of the 11 calibration days and 72 hours before the oldest of them: 13 days of history
        // end it, so that a day-long hole at the start of a two-week window does not start it.
        long start = 1_700_000_000L / HourlyUsage.HOUR * HourlyUsage.HOUR;
        long decision = start + 14 * 24 * HourlyUsage.HOUR;
        LearnedStrategy.Settings settings = LearnedStrategy.Settings.defaults(ModelFactory.LEARNER, 0.05, 0.02, 0.01,
                HourlyUsage.HOUR);
        ContainerHistory young = withCpu("young", start + 2 * 24 * HourlyUsage.HOUR, 12 * 24);
        ContainerHistory young2 = withCpu("young2", start + 3 * 24 * HourlyUsage.HOUR, 11 * 24);
        ContainerHistory old = withCpu("old", start + 24 * HourlyUsage.HOUR, 13 * 24);
        assertTrue(ColdStart.applies(List.of(young, young2), decision, settings));
        assertFalse(ColdStart.applies(List.of(young, old, young2), decision, settings));
        assertFalse(ColdStart.applies(List.of(young, young2), decision + 24 * HourlyUsage.HOUR,
                settings), "a day later the older one has the history (its window moves on with the decision)");
    }

    @Test
    void aDayLongHoleAtTheStartOfTheWindowIsNotAColdStart() {
        // Two weeks of history but nothing in its first day (a Prometheus outage 13 to 14 days
        // back): the oldest calibration day lacks its 72 hours, the other ten have them.
        long start = 1_700_000_000L / HourlyUsage.HOUR * HourlyUsage.HOUR;
        LearnedStrategy.Settings settings = LearnedStrategy.Settings.defaults(ModelFactory.LEARNER, 0.05, 0.02, 0.01,
                HourlyUsage.HOUR);
        ContainerHistory holed = withCpu("holed", start, 14 * 24, 24);
        assertFalse(ColdStart.applies(List.of(holed), start + 14 * 24 * HourlyUsage.HOUR, settings));
        // Two days' hole: the calibration would have 9 of its 11 days.
        ContainerHistory twoDays = withCpu("two", start, 14 * 24, 48);
        assertTrue(ColdStart.applies(List.of(twoDays), start + 14 * 24 * HourlyUsage.HOUR, settings));
    }

    /** CPU at 1 core every hour of {@code hours} from {@code start}, and the day after. */
    private static ContainerHistory withCpu(String name, long start, int hours) {
        return withCpu(name, start, hours, 0);
    }

    /** The same with nothing in the first {@code hole} hours. */
    private static ContainerHistory withCpu(String name, long start, int hours, int hole) {
        HourlyUsage.Builder u = HourlyUsage.builder(start, hours + 24);
        for (int h = hole; h < hours + 24; h++) {
            u.cpuMean()[h] = 1;
            u.samples()[h] = 12;
            for (float[] q : u.cpuQuantiles()) {
                q[h] = 1;
            }
        }
        return new ContainerHistory(new SeriesKey("ns", "Deployment/" + name, "app"), u.build(), null,
                new Resources(Double.NaN, Double.NaN));
    }
}
