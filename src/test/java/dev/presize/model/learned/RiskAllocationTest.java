package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RiskAllocationTest {

    /**
     * A container whose next-day peak is {@code size × e^(spread·Z)}, Z standard normal, with an
     * outlook that knows this distribution exactly: candidates {@code size × e^t}, risk P(Z > t/spread),
     * cost the request.
     */
    private static RiskAllocation.Outlook exact(double size, double spread) {
        int n = 241;
        double[] requests = new double[n];
        double[] risks = new double[n];
        for (int k = 0; k < n; k++) {
            double t = -3 + k * 0.025;
            requests[k] = size * Math.exp(t);
            risks[k] = 1 - phi(t / spread);
        }
        return new RiskAllocation.Outlook(requests, risks, requests.clone());
    }

    /** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
    private static double phi(double x) {
        double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-x * x / 2);
        return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
    }

    /** Half small steady containers, half large variable ones: the mix where one margin for all is wasteful. */
    private record Population(List<RiskAllocation.Outlook> outlooks, List<Double> sizes, List<Double> spreads) {
    }

    private static Population population(int n) {
        List<RiskAllocation.Outlook> outlooks = new ArrayList<>();
        List<Double> sizes = new ArrayList<>();
        List<Double> spreads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean large = i % 2 == 0;
            double size = large ? 100 : 1;
            double spread = large ? 0.6 : 0.1;
            outlooks.add(exact(size, spread));
            sizes.add(size);
            spreads.add(spread);
        }
        return new Population(outlooks, sizes, spreads);
    }

    private static List<RiskAllocation.Case> cases(Population p, Random random) {
        List<RiskAllocation.Case> cases = new ArrayList<>();
        for (int i = 0; i < p.outlooks().size(); i++) {
            double peak = p.sizes().get(i) * Math.exp(p.spreads().get(i) * random.nextGaussian());
            cases.add(new RiskAllocation.Case(p.outlooks().get(i), r -> peak > r ? 1 : 0));
        }
        return cases;
    }

    private static double cap(double alpha) {
        return RiskAllocation.cap(alpha, LearnedStrategy.DEFAULT_RISK_CAP_FACTOR);
    }

    @Test
    void aCapFactorOfOneGivesEveryContainerTheTargetAndCostsMore() {
        double alpha = 0.05;
        Population p = population(2_000);
        List<RiskAllocation.Case> calibration = cases(p, new Random(5));
        double even = RiskAllocation.calibrate(calibration, alpha, RiskAllocation.cap(alpha, 1));
        double spread = RiskAllocation.calibrate(calibration, alpha, cap(alpha));
        double evenCost = 0;
        double spreadCost = 0;
        for (RiskAllocation.Outlook o : p.outlooks()) {
            int k = RiskAllocation.choose(o, even, RiskAllocation.cap(alpha, 1));
            assertTrue(o.risks()[k] <= alpha);
            evenCost += o.costs()[k];
            spreadCost += o.costs()[RiskAllocation.choose(o, spread, cap(alpha))];
        }
        assertTrue(spreadCost < evenCost, "spread " + spreadCost + " even " + evenCost);
    }

    @Test
    void theChoiceMinimisesCostPlusMuTimesRiskUnderTheCap() {
        RiskAllocation.Outlook o = new RiskAllocation.Outlook(new double[] {1, 2, 3, 4}, new double[] {0.5, 0.2, 0.1, 0},
                new double[] {1, 2, 3, 4});
        assertEquals(0, RiskAllocation.choose(o, 1, 1));          // 1.5, 2.2, 3.1, 4
        assertEquals(1, RiskAllocation.choose(o, 5, 1));          // 3.5, 3.0, 3.5, 4
        assertEquals(3, RiskAllocation.choose(o, 100, 1));
        assertEquals(1, RiskAllocation.choose(o, 1, 0.3));        // 0.5 is over the cap
        assertEquals(3, RiskAllocation.choose(o, 1, -1));         // nothing under the cap: the safest
    }

    @Test
    void theChoiceNeverFallsAsMuGrows() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            RiskAllocation.Outlook o = exact(0.1 + 10 * random.nextDouble(), 0.05 + random.nextDouble());
            int previous = -1;
            for (double logMu = -10; logMu < 10; logMu += 0.1) {
                int k = RiskAllocation.choose(o, Math.exp(logMu), 1);
                assertTrue(k >= previous, "trial " + trial + " at ln mu " + logMu);
                previous = k;
            }
        }
    }

    @Test
    void calibratedMultiplierMeetsTheTargetOnNewCasesAndSpendsTheRiskOnLargeVariableContainers() {
        double alpha = 0.05;
        Population p = population(4_000);
        double mu = RiskAllocation.calibrate(cases(p, new Random(1)), alpha, cap(alpha));

        // Out of sample: fresh days of the same containers.
        List<RiskAllocation.Case> test = cases(p, new Random(2));
        double exceeded = 0;
        double allocatedCost = 0;
        double largeRisk = 0;
        double smallRisk = 0;
        for (int i = 0; i < test.size(); i++) {
            RiskAllocation.Outlook o = test.get(i).outlook();
            int k = RiskAllocation.choose(o, mu, cap(alpha));
            exceeded += test.get(i).loss().applyAsDouble(o.requests()[k]);
            allocatedCost += o.costs()[k];
            if (i % 2 == 0) {
                largeRisk += o.risks()[k];
            } else {
                smallRisk += o.risks()[k];
            }
        }
        assertEquals(alpha, exceeded / test.size(), 0.012);
        assertTrue(largeRisk > 3 * smallRisk, "large " + largeRisk + " small " + smallRisk);

        // One margin for all at the same realised risk reserves more: the uniform quantile at alpha
        // for each container is what a perfectly calibrated single margin could at best give.
        double uniformCost = 0;
        for (RiskAllocation.Outlook o : p.outlooks()) {
            int k = 0;
            while (o.risks()[k] > alpha) {
                k++;
            }
            uniformCost += o.costs()[k];
        }
        assertTrue(allocatedCost < 0.9 * uniformCost, "allocated " + allocatedCost + " uniform " + uniformCost);
    }

    @Test
    void noContainerIsPlannedAboveTheCap() {
        double alpha = 0.02;
        Population p = population(2_000);
        double mu = RiskAllocation.calibrate(cases(p, new Random(3)), alpha, cap(alpha));
        for (RiskAllocation.Outlook o : p.outlooks()) {
            assertTrue(o.risks()[RiskAllocation.choose(o, mu, cap(alpha))] <= cap(alpha));
        }
    }

    @Test
    void aLowerTargetGivesLargerRequestsEverywhere() {
        Population p = population(2_000);
        List<RiskAllocation.Case> calibration = cases(p, new Random(4));
        double loose = RiskAllocation.calibrate(calibration, 0.2, cap(0.2));
        double strict = RiskAllocation.calibrate(calibration, 0.01, cap(0.01));
        assertTrue(strict > loose);
        for (RiskAllocation.Outlook o : p.outlooks()) {
            assertTrue(RiskAllocation.request(o, strict, cap(0.01))
                    >= RiskAllocation.request(o, loose, cap(0.2)));
        }
    }

    @Test
    void nothingToCalibrateOnGivesNaNAndMalformedOutlooksAreRefused() {
        assertTrue(Double.isNaN(RiskAllocation.calibrate(List.of(), 0.05, cap(0.05))));
        assertThrows(IllegalArgumentException.class,
                () -> new RiskAllocation.Outlook(new double[] {1, 2}, new double[] {0.1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class,
                () -> new RiskAllocation.Outlook(new double[0], new double[0], new double[0]));
    }
}
