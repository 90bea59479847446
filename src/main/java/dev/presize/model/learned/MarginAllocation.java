package dev.presize.model.learned;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Where the risk budget is spent: per container, the log-space margin that costs least for the risk
 * it buys, with one multiplier calibrated so that the total risk meets the target.
 *
 * <p>The risk flags count events (CPU samples above the request, container-days whose memory peak
 * exceeds it), while what a request costs is capacity: cores and bytes reserved. One margin for
 * everyone spends the same relative headroom on a steady sidecar and on an erratic 64 GiB JVM.
 * Minimising the reserved capacity subject to the expected share of events is a Lagrangian problem
 * whose solution, per container {@code i} with base request {@code w_i} (the regressor's
 * prediction, in cores or bytes), is
 * <pre>  λ_i(μ) = argmin_λ  w_i·e^λ + μ·T_b(λ)</pre>
 * where {@code T_b(λ)} is the expected loss at margin {@code λ} of containers of the same predicted
 * difficulty (bin {@code b} of the spread model's prediction), estimated on out-of-fold residuals of
 * the training cases. {@code λ_i(μ)} never decreases as {@code μ} grows (the objective has
 * decreasing differences: {@code T_b} falls in λ; Topkis), so every calibration loss is
 * non-increasing in {@code μ}, and conformal risk control on the held-back slice picks {@code μ}
 * with the same guarantee a single margin has ({@link RiskCalibration}). Estimating {@code T_b} on
 * training cases, not on the calibration slice, keeps that slice exchangeable with the future.
 *
 * <p>No container is left with more expected risk than {@code RISK_CAP × target}: the allocation
 * may move risk towards large containers, but not concentrate it on them.
 */
final class MarginAllocation {

    /** The margins searched: e^-3 (a twentieth of the prediction) to e^5 (150 times it). */
    static final double GRID_FROM = -3;
    static final double GRID_STEP = 0.025;
    static final int GRID_POINTS = 321;

    /** No container's expected risk above this multiple of the target. */
    static final double RISK_CAP = 4;

    /** Each difficulty bin must expect this many training events at the target risk. */
    static final double MIN_EVENTS_PER_BIN = 10;
    static final int MAX_BINS = 8;

    /** Tail curves are estimated on at most this many training cases per bin (evenly strided). */
    static final int MAX_CASES_PER_BIN = 1000;

    /** log μ is searched in this range; weights are normalised to a mean of 1. */
    static final double LOG_MU_FROM = -12;
    static final double LOG_MU_TO = 16;

    private MarginAllocation() {
    }

    static double lambda(int g) {
        return GRID_FROM + g * GRID_STEP;
    }

    /** A training or calibration case: its predicted difficulty, base request and loss as a function of λ. */
    record Scored(double spread, double weight, DoubleUnaryOperator loss) {
    }

    /**
     * Per difficulty bin the expected loss on the λ grid; {@code edges[k]} is bin {@code k}'s upper
     * spread, the last bin is open-ended; {@code weightScale} normalises base requests.
     */
    record Curves(double[] edges, double[][] tail, double weightScale) {

        int bin(double spread) {
            int k = 0;
            while (k < edges.length && spread > edges[k]) {
                k++;
            }
            return k;
        }

        /** The margin for difficulty {@code spread} and base request {@code weight} at multiplier {@code mu}. */
        double margin(double spread, double weight, double mu, double cap) {
            double[] t = tail[bin(spread)];
            double w = weight / weightScale;
            int best = GRID_POINTS - 1;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int g = 0; g < GRID_POINTS; g++) {
                if (t[g] > cap) {
                    continue;
                }
                double cost = w * Math.exp(lambda(g)) + mu * t[g];
                if (cost < bestCost) {
                    bestCost = cost;
                    best = g;
                }
            }
            return lambda(best);
        }
    }

    /** Tail curves from out-of-fold training cases, binned by equal counts of predicted spread. */
    static Curves curves(List<Scored> training, double risk) {
        List<Scored> sorted = new ArrayList<>(training);
        sorted.sort(Comparator.comparingDouble(Scored::spread));
        int bins = Math.max(1, Math.min(MAX_BINS, (int) Math.floor(sorted.size() * risk / MIN_EVENTS_PER_BIN)));
        double[] edges = new double[bins - 1];
        double[][] tail = new double[bins][];
        for (int k = 0; k < bins; k++) {
            int from = k * sorted.size() / bins;
            int to = (k + 1) * sorted.size() / bins;
            if (k < bins - 1) {
                edges[k] = sorted.get(to - 1).spread();
            }
            tail[k] = tail(sorted.subList(from, to));
        }
        double weightScale = training.stream().mapToDouble(Scored::weight).average().orElse(1);
        return new Curves(edges, tail, weightScale > 0 ? weightScale : 1);
    }

    private static double[] tail(List<Scored> cases) {
        int stride = Math.max(1, (cases.size() + MAX_CASES_PER_BIN - 1) / MAX_CASES_PER_BIN);
        double[] t = new double[GRID_POINTS];
        int n = 0;
        for (int i = 0; i < cases.size(); i += stride) {
            DoubleUnaryOperator loss = cases.get(i).loss();
            for (int g = 0; g < GRID_POINTS; g++) {
                t[g] += loss.applyAsDouble(lambda(g));
            }
            n++;
        }
        for (int g = 0; g < GRID_POINTS; g++) {
            t[g] /= Math.max(1, n);
        }
        // Losses fall with the margin; make the estimate do so exactly (it already does up to rounding).
        for (int g = 1; g < GRID_POINTS; g++) {
            t[g] = Math.min(t[g], t[g - 1]);
        }
        return t;
    }

    /** The multiplier, as log μ, that meets {@code risk} on the calibration cases. */
    static double calibrate(Curves curves, List<Scored> calibration, double risk) {
        double cap = cap(risk);
        List<DoubleUnaryOperator> losses = new ArrayList<>();
        for (Scored s : calibration) {
            losses.add(logMu -> s.loss().applyAsDouble(curves.margin(s.spread(), s.weight(), Math.exp(logMu), cap)));
        }
        return RiskCalibration.margin(losses, risk, LOG_MU_FROM, LOG_MU_TO);
    }

    static double cap(double risk) {
        return Math.min(1, RISK_CAP * risk);
    }
}
