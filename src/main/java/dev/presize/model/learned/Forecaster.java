package dev.presize.model.learned;

import java.util.List;

/**
 * Says where a container's next-day level of one resource will be, in log space relative to the
 * container's own past ({@link LearnedStrategy.Bases}), and how far off that may be. The level is
 * CPU's daily quantile at the target or memory's daily peak; the naive forecast, 0, is "like the
 * container's own past". The learned forecaster reads the spread (and optionally the point) from
 * Tribuo regressors trained across the cluster; the naive one is the same pipeline without them,
 * the ablation {@code model-no-learning} measures the regressors against.
 */
interface Forecaster {

    /** A point forecast of the log level and a positive spread the calibrated margin is counted in. */
    record Forecast(double point, double spread) {
    }

    /**
     * The learned point never moves further than this from the naive 0 (e^3 = 20×): tree learners
     * cannot extrapolate further, linear ones could, and one wild row must not become a request.
     */
    double MAX_MOVE = 3;
    /**
     * Spreads below this (a near-constant container) are raised to it, so that the calibrated
     * margin always leaves some room: 0.02 in log space is 2 %.
     */
    double MIN_SPREAD = 0.02;

    Forecast at(double[] x);

    /** The container's own past, with one spread for everyone: one margin group. */
    static Forecaster naive() {
        return x -> new Forecast(0, 1);
    }

    /**
     * Fits the spread regressor to the distance of the next-day log levels {@code y} from the naive
     * forecast, {@code |y|}: how unlike its past a container with these features tends to be
     * tomorrow, which decides its margin group ({@link Margins}). With {@code learnPoint}, also a
     * point regressor of {@code y} itself (the backtest's {@code model-point}); not by default: on
     * the dev trace it lowered requests of containers that then surged, and the CPU volume above
     * the requests overshot its target (README). Naive with fewer rows than {@code minRows}.
     */
    static Forecaster fit(Learner learner, String[] names, List<double[]> x, double[] y, int minRows,
                          long seed, boolean learnPoint) {
        if (y.length < minRows) {
            return naive();
        }
        double[] distance = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            distance[i] = Math.abs(y[i]);
        }
        Learner.Fitted point = learnPoint ? learner.fit(names, x, y, seed) : null;
        Learner.Fitted spread = learner.fit(names, x, distance, seed + 1);
        return row -> {
            double p = point == null ? 0 : point.predict(row);
            p = Double.isFinite(p) ? Math.max(-MAX_MOVE, Math.min(MAX_MOVE, p)) : 0;
            double s = spread.predict(row);
            return new Forecast(p, Double.isFinite(s) ? Math.max(MIN_SPREAD, s) : 1);
        };
    }
}
