package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MarginAllocationTest {

    /** Memory-like 0/1 cases: score ~ N(0, spread), weight as given. */
    private static List<MarginAllocation.Scored> cases(int n, long seed, double bigShare) {
        Random random = new Random(seed);
        List<MarginAllocation.Scored> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double spread = random.nextDouble() < 0.5 ? 0.05 : 0.5;
            double score = random.nextGaussian() * spread;
            // Sizes spread over three orders of magnitude, a share of them large.
            double weight = Math.exp(random.nextGaussian()) * (random.nextDouble() < bigShare ? 100 : 1);
            out.add(new MarginAllocation.Scored(Math.log(spread), weight, lambda -> score > lambda ? 1 : 0));
        }
        return out;
    }

    @Test
    void largerContainersGetSmallerMarginsAndALargerMultiplierLargerOnes() {
        MarginAllocation.Curves curves = MarginAllocation.curves(cases(20_000, 1, 0.3), 0.01);
        double cap = MarginAllocation.cap(0.01);
        for (double spread : new double[] {Math.log(0.05), Math.log(0.5)}) {
            double previous = Double.POSITIVE_INFINITY;
            for (double weight : new double[] {0.1, 1, 10, 100, 1000}) {
                double m = curves.margin(spread, weight, 10, cap);
                assertTrue(m <= previous, "weight " + weight + " margin " + m + " above " + previous);
                previous = m;
            }
            previous = Double.NEGATIVE_INFINITY;
            for (double mu : new double[] {0.01, 1, 100, 1e4, 1e6}) {
                double m = curves.margin(spread, 10, mu, cap);
                assertTrue(m >= previous, "mu " + mu + " margin " + m + " below " + previous);
                previous = m;
            }
        }
    }

    @Test
    void noContainerIsLeftAboveTheRiskCap() {
        MarginAllocation.Curves curves = MarginAllocation.curves(cases(20_000, 2, 0.3), 0.01);
        double cap = MarginAllocation.cap(0.01);
        for (double spread : new double[] {Math.log(0.05), Math.log(0.5)}) {
            double m = curves.margin(spread, 1e9, 1e-6, cap);
            int g = (int) Math.round((m - MarginAllocation.GRID_FROM) / MarginAllocation.GRID_STEP);
            assertTrue(curves.tail()[curves.bin(spread)][g] <= cap);
        }
    }

    @Test
    void difficultContainersLandInTheirOwnBins() {
        MarginAllocation.Curves curves = MarginAllocation.curves(cases(20_000, 3, 0.3), 0.01);
        assertTrue(curves.edges().length >= 1);
        int steady = curves.bin(Math.log(0.05));
        int erratic = curves.bin(Math.log(0.5));
        assertTrue(steady < erratic);
        // At the same multiplier and weight, the erratic band needs the larger margin.
        double cap = MarginAllocation.cap(0.01);
        assertTrue(curves.margin(Math.log(0.5), 1, 100, cap) > curves.margin(Math.log(0.05), 1, 100, cap));
    }

    @Test
    void calibrationMeetsTheRiskOnTheCalibrationCases() {
        double risk = 0.02;
        MarginAllocation.Curves curves = MarginAllocation.curves(cases(20_000, 4, 0.3), risk);
        List<MarginAllocation.Scored> calibration = cases(3_000, 5, 0.3);
        double logMu = MarginAllocation.calibrate(curves, calibration, risk);
        double cap = MarginAllocation.cap(risk);
        double loss = calibration.stream()
                .mapToDouble(s -> s.loss().applyAsDouble(curves.margin(s.spread(), s.weight(), Math.exp(logMu), cap)))
                .average().orElseThrow();
        int n = calibration.size();
        assertTrue(loss <= (risk * (n + 1) - 1) / n + 1e-12, "calibration loss " + loss);
        assertTrue(loss > risk / 2, "the multiplier is far from the smallest: loss " + loss);
    }

    @Test
    void withEqualWeightsAndOneBinItIsTheSingleMargin() {
        Random random = new Random(6);
        List<MarginAllocation.Scored> training = new ArrayList<>();
        List<MarginAllocation.Scored> calibration = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            double score = random.nextGaussian() * 0.3;
            (i < 3_000 ? training : calibration).add(new MarginAllocation.Scored(0, 1, l -> score > l ? 1 : 0));
        }
        double risk = 0.05;
        MarginAllocation.Curves curves = MarginAllocation.curves(training, risk);
        double logMu = MarginAllocation.calibrate(curves, calibration, risk);
        double allocated = curves.margin(0, 1, Math.exp(logMu), MarginAllocation.cap(risk));
        double single = RiskCalibration.margin(calibration.stream().map(MarginAllocation.Scored::loss).toList(), risk);
        assertEquals(single, allocated, MarginAllocation.GRID_STEP + 1e-9);
    }
}
