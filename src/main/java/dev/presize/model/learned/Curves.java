package dev.presize.model.learned;

import java.util.ArrayList;
import java.util.List;

/**
 * A fold's learned memory curve: the chance that tomorrow's peak exceeds a candidate, from a
 * regressor trained across the cluster on past origins ({@link LearnedStrategy} says how the folds
 * and blocks keep a calibration case off its regressor's rows).
 */
record Curves(Learner.Fitted exceed) {

    /**
     * The risk curves a choice reads, {risk, unmet per sample (NaN for memory)}: the ladder's own,
     * except memory's when learning: the regressor's chance that tomorrow's peak exceeds each
     * candidate, made non-increasing up the ladder (a larger request is never more at risk; the
     * linear log-odds can bend the wrong way far from where its rows were).
     */
    static double[][] curve(Ladder l, Curves fitted, boolean isCpu) {
        if (fitted == null || isCpu) {
            return new double[][] {l.risk(), l.unmet()};
        }
        double[] risk = new double[l.size()];
        double previous = 1;
        for (int j = 0; j < risk.length; j++) {
            risk[j] = Math.min(previous, fitted.exceed().predict(l.memoryFeatures(j)));
            previous = risk[j];
        }
        return new double[][] {risk, l.unmet()};
    }

    /**
     * The exceedance regressor, trained on {@code cases} (container-days): one row per candidate
     * whose in-sample risk is at least {@link #ROW_RISK_MIN} (far above the past the outcome is all
     * but certain and the choice never lands there), target 1 when the next day's peak exceeded
     * it. The candidates the past already passes most days are rows too, although no choice lands
     * there either: they show the regressor what certain exceedance looks like. Without them (rows
     * up to an in-sample risk of 0.6, before the hours-above feature) a cluster whose memory
     * never moves gave only rows that were never exceeded, and the regressor, extrapolating
     * below them, read the candidates under the constant peak as safe (LearnedStrategyTest). One
     * model across the cluster learns what a container's own past cannot show: how often peaks
     * like its own overshoot a candidate that far above them. Rows are thinned
     * evenly to at most {@link #MAX_ROWS} (bounded training time at any cluster size). Null with
     * too few cases (the fold reads its in-sample curves).
     */
    static Curves fit(List<CalibrationCase> cases, LearnedStrategy.Settings settings) {
        if (cases.size() < settings.minTrainingRows()) {
            return null;
        }
        List<double[]> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        int rows = 0;
        for (CalibrationCase c : cases) {
            rows += rowCandidates(c.ladder());
        }
        double keep = Math.min(1, (double) MAX_ROWS / Math.max(1, rows));
        double credit = 0;
        for (CalibrationCase c : cases) {
            Ladder l = c.ladder();
            for (int j = 0; j < l.size(); j++) {
                if (!trainingRow(l.risk()[j])) {
                    continue;
                }
                credit += keep;
                if (credit >= 1) {
                    credit -= 1;
                    x.add(l.memoryFeatures(j));
                    y.add(c.above()[j]);
                }
            }
        }
        return new Curves(settings.learner().fit(Ladder.MEMORY_CURVE, x, unbox(y), settings.seed()));
    }

    static final double ROW_RISK_MIN = 1e-4;
    // Per fit (four per training), so that training time and heap stay bounded at any cluster size.
    // bench/refresh/run at 10 000 containers gave the same steady refresh with 200 000 and 100 000
    // (train 22.5 and 21.1 s, peak heap 915 MiB both): the fits are not the larger part. On the dev
    // trace a fit has at most about 175 containers x 6 days x 72 candidates = 75 600 rows.
    static final int MAX_ROWS = 100_000;

    private static int rowCandidates(Ladder l) {
        int n = 0;
        for (double r : l.risk()) {
            if (trainingRow(r)) {
                n++;
            }
        }
        return n;
    }

    /** Whether a candidate of this in-sample risk is a training row (see fit). */
    private static boolean trainingRow(double inSampleRisk) {
        return inSampleRisk >= ROW_RISK_MIN;
    }

    private static double[] unbox(List<Double> values) {
        double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }
}
