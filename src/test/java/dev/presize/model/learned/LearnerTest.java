package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The learners as probability models: trained on 0/1 outcomes drawn from a known chance, they must
 * give that chance back, in the tails too (where the model's requests are chosen).
 */
class LearnerTest {

    /** P(event | x) = σ(3 − 4·x0 + 0·x1): x1 is noise the model must learn to ignore. */
    private static double truth(double[] x) {
        return LogisticLoss.sigmoid(3 - 4 * x[0]);
    }

    private static List<double[]> rows(Random random, int n) {
        List<double[]> x = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // x1 on a scale a hundred times larger, as the log-odds feature is beside the ratios
            x.add(new double[] {random.nextDouble() * 3, random.nextGaussian() * 100});
        }
        return x;
    }

    private static double[] outcomes(Random random, List<double[]> x) {
        double[] y = new double[x.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = random.nextDouble() < truth(x.get(i)) ? 1 : 0;
        }
        return y;
    }

    @Test
    void logisticSgdGivesTheChanceBackInTheTailsToo() {
        Random random = new Random(7);
        List<double[]> x = rows(random, 40_000);
        Learner.Fitted fitted = Learner.SGD.fit(new String[] {"x0", "x1"}, x, outcomes(random, x), 42);
        for (double x0 : new double[] {0.25, 0.75, 1.5, 2.25, 2.75}) {
            double expected = truth(new double[] {x0, 0});
            double got = fitted.predict(new double[] {x0, 0});
            // within a fifth in log-odds: at x0 = 2.75 the chance is 0.0003, a linear probability
            // model (squared loss on 0/1) would be off by orders of magnitude there
            double logOdds = Math.log(got / (1 - got)) - Math.log(expected / (1 - expected));
            assertEquals(0, logOdds, 0.2 * Math.max(1, Math.abs(Math.log(expected / (1 - expected)))),
                    "at x0 = " + x0 + ": expected " + expected + ", got " + got);
        }
        assertEquals(fitted.predict(new double[] {1, -200}), fitted.predict(new double[] {1, 200}), 0.02,
                "a feature unrelated to the outcome barely moves the chance");
    }

    @Test
    void predictionsThroughTheModelsParametersAreTribuosExactly() {
        Random random = new Random(11);
        List<double[]> x = rows(random, 5_000);
        double[] y = outcomes(random, x);
        // names out of sorted order, as the model's memory features are
        String[] names = {"zeta", "alpha"};
        Learner.Fitted fast = Learner.SGD.fit(names, x, y, 42);
        // Tribuo's own way: a MutableDataset of the rows, and its Model.predict.
        Learner.Fitted reference = Learner.SGD.fit(names, x, y, 42, true);
        for (double[] row : rows(random, 1_000)) {
            assertEquals(reference.predict(row), fast.predict(row), 0.0, () -> java.util.Arrays.toString(row));
        }
        assertTrue(fast.predict(new double[] {0.1, 0}) > fast.predict(new double[] {2.9, 0}), "not a constant");
        // Rows a MutableDataset refuses are refused as it refuses them.
        List<double[]> withNaN = new java.util.ArrayList<>(x);
        withNaN.set(7, new double[] {Double.NaN, 1});
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Learner.SGD.fit(names, withNaN, y, 42));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Learner.SGD.fit(new String[] {"alpha", "alpha"}, x, y, 42));
    }

    @Test
    void theLogLossGradientIsTruthMinusTheChance() {
        var loss = new LogisticLoss().loss(org.tribuo.math.la.DenseVector.createDenseVector(new double[] {1}),
                org.tribuo.math.la.DenseVector.createDenseVector(new double[] {0}));
        assertEquals(Math.log(2), loss.getA(), 1e-12);
        assertEquals(0.5, loss.getB().get(0), 1e-12);
        var far = new LogisticLoss().loss(org.tribuo.math.la.DenseVector.createDenseVector(new double[] {0}),
                org.tribuo.math.la.DenseVector.createDenseVector(new double[] {800}));
        assertEquals(800, far.getA(), 1e-9, "no overflow far out");
        assertEquals(-1, far.getB().get(0), 1e-12);
    }
}
