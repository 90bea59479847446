package dev.presize.model.learned;

import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Conformal risk control (Angelopoulos, Bates, Fisch, Lei, Schuster, "Conformal Risk Control",
 * ICLR 2024), the generalisation of split conformal prediction from miscoverage to any bounded loss
 * that falls as a parameter grows. The model's parameter is λ = ln μ, the log of the cluster-wide
 * multiplier that trades each container's cost against its risk ({@link RiskAllocation}); it is
 * chosen on a held-back calibration slice as the smallest λ with
 * <pre>  n/(n+1) · mean_i L_i(λ) + B/(n+1) ≤ α,   B = 1 (losses are shares)</pre>
 * which bounds the expected loss on a new exchangeable case by α. For memory, L_i is "the day's peak
 * exceeds the request" (0/1), which makes this exactly split conformal's quantile; for CPU, L_i is
 * the share of the day's samples above the request, the risk the flag sets.
 */
final class RiskCalibration {

    private static final int STEPS = 60;

    private RiskCalibration() {
    }

    /**
     * The margin for risk {@code alpha}, searched in {@code [from, to]}; NaN without losses. When no
     * margin reaches it (too few calibration cases for so small a risk: B/(n+1) > α), the smallest
     * margin that covers every calibration case; {@code to} when none in the range does.
     */
    static double margin(List<DoubleUnaryOperator> losses, double alpha, double from, double to) {
        int n = losses.size();
        if (n == 0) {
            return Double.NaN;
        }
        double bound = (alpha * (n + 1) - 1) / n;
        return smallest(losses, Math.max(0, bound), from, to);
    }

    /** Smallest λ with mean loss ≤ {@code target} (losses are non-increasing in λ). */
    private static double smallest(List<DoubleUnaryOperator> losses, double target, double from, double to) {
        double lo = from;
        double hi = to;
        if (mean(losses, lo) <= target) {
            return lo;
        }
        for (int i = 0; i < STEPS; i++) {
            double mid = (lo + hi) / 2;
            if (mean(losses, mid) <= target) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static double mean(List<DoubleUnaryOperator> losses, double lambda) {
        double sum = 0;
        for (DoubleUnaryOperator l : losses) {
            sum += l.applyAsDouble(lambda);
        }
        return sum / losses.size();
    }
}
