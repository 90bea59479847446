package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Conformal risk control as the model runs it: {@link RiskCalibration#margin} over the range of
 * ln μ that {@link RiskAllocation#calibrate} searches.
 */
class RiskCalibrationTest {

    private static final double RANGE = RiskAllocation.LOG_MU_RANGE;

    private static double margin(List<DoubleUnaryOperator> losses, double alpha) {
        return RiskCalibration.margin(losses, alpha, -RANGE, RANGE);
    }

    private static List<DoubleUnaryOperator> indicator(double[] scores) {
        List<DoubleUnaryOperator> losses = new ArrayList<>();
        for (double s : scores) {
            losses.add(lambda -> s > lambda ? 1 : 0);
        }
        return losses;
    }

    @Test
    void withZeroOneLossesTheMarginIsSplitConformalsQuantile() {
        // n = 99 scores 1..99 and alpha 0.1: at most alpha(n+1) - 1 = 9 scores may exceed the margin,
        // so the margin is the 90th smallest score, ceil((n+1)(1-alpha)) in split conformal's terms.
        double[] scores = new double[99];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (i + 1) / 100.0;
        }
        double margin = margin(indicator(scores), 0.1);
        assertEquals(0.90, margin, 1e-9);
    }

    @Test
    void theMarginDoesNotDependOnTheOrderOfCases() {
        Random random = new Random(7);
        double[] scores = random.doubles(500, -2, 2).toArray();
        double a = margin(indicator(scores), 0.05);
        double[] reversed = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            reversed[i] = scores[scores.length - 1 - i];
        }
        assertEquals(a, margin(indicator(reversed), 0.05), 1e-12);
    }

    @Test
    void aSmallerRiskNeverGivesASmallerMargin() {
        Random random = new Random(11);
        double[] scores = random.doubles(300).map(x -> Math.log(x + 0.01)).toArray();
        double previous = Double.NEGATIVE_INFINITY;
        for (double alpha : new double[] {0.5, 0.2, 0.1, 0.05, 0.02, 0.01}) {
            double margin = margin(indicator(scores), alpha);
            assertTrue(margin >= previous, "alpha " + alpha + " gave " + margin + " below " + previous);
            previous = margin;
        }
    }

    @Test
    void tooFewCasesForTheRiskCoverEveryCase() {
        // 20 cases cannot certify 1 % (B/(n+1) = 1/21 > 0.01): the margin must cover all of them.
        double[] scores = new double[20];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i / 10.0;
        }
        double margin = margin(indicator(scores), 0.01);
        assertTrue(margin >= 1.9 && margin < 1.9 + 1e-6, "margin " + margin);
    }

    @Test
    void marginsStayWithinTheSearchRange() {
        // Scores beyond the range: the search stops at its ends (μ e^±40 times the scale is beyond
        // any request a container could be given, or below every one).
        assertEquals(RANGE, margin(indicator(new double[] {50, 60}), 0.01));
        assertEquals(-RANGE, margin(indicator(new double[] {-50, -60}), 0.5));
    }

    @Test
    void fractionalLossesAreControlledOnAverage() {
        // Each case loses the share of its 10 samples above the margin (as CPU does): samples i/10 + offset.
        List<DoubleUnaryOperator> losses = new ArrayList<>();
        for (int c = 0; c < 50; c++) {
            double offset = c / 50.0;
            losses.add(lambda -> {
                int above = 0;
                for (int i = 0; i < 10; i++) {
                    if (i / 10.0 + offset > lambda) {
                        above++;
                    }
                }
                return above / 10.0;
            });
        }
        double alpha = 0.2;
        double margin = margin(losses, alpha);
        double bound = (alpha * 51 - 1) / 50;
        double mean = losses.stream().mapToDouble(l -> l.applyAsDouble(margin)).average().orElseThrow();
        assertTrue(mean <= bound + 1e-12, "mean loss " + mean + " above " + bound);
        double justBelow = losses.stream().mapToDouble(l -> l.applyAsDouble(margin - 1e-3)).average().orElseThrow();
        assertTrue(justBelow > bound, "the margin is not the smallest: " + justBelow + " at margin - 0.001");
    }

    @Test
    void noCasesNoMargin() {
        assertTrue(Double.isNaN(margin(List.of(), 0.05)));
    }
}
