package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.HourlyUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The calibrated margins: conformal coverage out of sample, both CPU risks, groups and caps. */
class MarginsTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    private static Forecaster.Forecast forecast(double spread) {
        return new Forecaster.Forecast(0, spread);
    }

    @Test
    void theMemoryMarginCoversFreshDaysAtTheTarget() {
        Random random = new Random(7);
        double[] calibration = new double[2000];
        for (int i = 0; i < calibration.length; i++) {
            calibration[i] = random.nextGaussian() * 0.3;
        }
        double m = Margins.memory(calibration, 0.05);
        int exceeded = 0;
        int fresh = 100_000;
        for (int i = 0; i < fresh; i++) {
            if (random.nextGaussian() * 0.3 > m) {
                exceeded++;
            }
        }
        // Split conformal: at most 5 % in expectation, and not far below it with 2000 cases.
        double share = exceeded / (double) fresh;
        assertTrue(share <= 0.05 + 0.005 && share >= 0.04, "realised " + share + " at margin " + m);
    }

    @Test
    void tooFewCasesForSoSmallARiskCoverEveryCase() {
        assertEquals(0.3, Margins.memory(new double[] {0.1, -0.2, 0.3}, 0.01), 1e-12);
        assertEquals(0.1, Margins.memory(new double[] {0.1, INF}, 0.01),
                "a peak above the cap is exceeded whatever the margin: cover the others, no more");
        assertEquals(Margins.RANGE, Margins.memory(new double[] {INF}, 0.01));
    }

    /** An hour of {@code n} samples spread evenly over [0, top]: its sketch knots are exact. */
    private static HourlyUsage evenDay(double top) {
        HourlyUsage.Builder u = HourlyUsage.builder(0, 24);
        for (int i = 0; i < 24; i++) {
            for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
                u.cpuQuantiles()[k][i] = (float) (HourlyUsage.CPU_LEVELS[k] * top);
            }
            u.cpuMean()[i] = (float) (top / 2);
            u.samples()[i] = 101;
        }
        return u.build();
    }

    @Test
    void theCpuMarginHoldsBothRisksOnItsCases() {
        List<Margins.Case> cases = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            cases.add(Margins.Case.cpu(1, forecast(1), INF, evenDay(1 + (i % 7) * 0.1), 0, 24));
        }
        for (double[] targets : new double[][] {{0.05, 0.5}, {0.5, 0.002}}) {
            double m = Margins.cpu(cases, targets[0], targets[1]);
            double above = 0;
            double unmet = 0;
            double samples = 0;
            double volume = 0;
            for (Margins.Case c : cases) {
                double r = c.request(m);
                above += c.samples() * CpuDistribution.exceedFraction(c.usage(), 0, 24, r);
                unmet += CpuDistribution.unmet(c.usage(), 0, 24, r);
                samples += c.samples();
                volume += c.volume();
            }
            int n = cases.size();
            assertTrue(above / samples <= Margins.bound(targets[0], n) + 1e-9, "samples above " + above / samples);
            assertTrue(unmet / volume <= Margins.bound(targets[1], n) + 1e-9, "volume above " + unmet / volume);
            // And the margin is the smallest that does: a little less breaks the binding one.
            double less = m - 1e-3;
            double aboveLess = 0;
            double unmetLess = 0;
            for (Margins.Case c : cases) {
                aboveLess += c.samples() * CpuDistribution.exceedFraction(c.usage(), 0, 24, c.request(less));
                unmetLess += CpuDistribution.unmet(c.usage(), 0, 24, c.request(less));
            }
            assertTrue(aboveLess / samples > Margins.bound(targets[0], n)
                    || unmetLess / volume > Margins.bound(targets[1], n), "m " + m + " is not the smallest");
        }
    }

    @Test
    void casesAreGroupedBySpreadAndEachGroupGetsItsOwnMargin() {
        List<Margins.Case> cases = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 1000; i++) {
            double spread = i < 500 ? 0.1 : 1.0;
            cases.add(Margins.Case.memory(forecast(spread), INF, random.nextGaussian() * spread));
        }
        double[] edges = Margins.edges(cases);
        assertEquals(1, edges.length, "two distinct spreads, two groups");
        Margins.Grouped g = Margins.memory(cases, edges, 0.05);
        double steady = g.at(forecast(0.1));
        double wild = g.at(forecast(1.0));
        assertTrue(steady > 0.1 && steady < 0.25, "about 1.645 × 0.1: " + steady);
        assertTrue(wild > 1.0 && wild < 2.5, "about 1.645 × 1: " + wild);
        assertEquals(0, Margins.edges(cases.subList(0, 500)).length, "one spread, one group");
    }

    @Test
    void noRequestIsAboveItsCap() {
        Forecaster.Forecast f = new Forecaster.Forecast(0.2, 1);
        assertEquals(2 * Math.exp(0.2 + 0.1), Margins.request(2, f, INF, 0.1), 1e-12);
        assertEquals(2 * Math.exp(0.25), Margins.request(2, f, 0.25, 5), 1e-12);
    }
}
