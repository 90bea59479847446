package dev.presize.model.learned;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Spends a cluster-wide risk budget where it saves the most capacity. The target risks are shares
 * over all containers (of CPU samples, of container-days), while slack is counted in cores and
 * bytes, so one margin for everyone is the wrong shape: it gives a steady 64 MiB sidecar the same
 * headroom as a 30 GiB batch VM whose daily peak swings tenfold. Minimising total reserved capacity
 * subject to the total risk (a Lagrangian, as in any budget allocation) gives each container the
 * request that minimises {@code cost(R) + μ · risk(R)} on its own {@link Outlook}; one multiplier
 * μ for all, chosen by conformal risk control on held-back days ({@link RiskCalibration}) so the
 * realised share stays at the target out of sample. A large container whose usage varies takes
 * more of the risk; a small or steady one is covered almost surely, because covering it is cheap.
 *
 * <p>Per-container risk is capped at a multiple of the target ({@code --max-container-risk-factor},
 * default {@link LearnedStrategy#DEFAULT_RISK_CAP_FACTOR}): no container is planned to run above its request on most
 * days, whatever it would save. The cap is the knob between the two ends: at 1 every container
 * gets the target risk (no allocation); the higher it is, the less slack and the more of the usage
 * that sits above the requests of the largest, most variable containers (README, table 4).
 */
final class RiskAllocation {

    // The search range of ln(μ / scale), where scale is the calibration cases' median top cost: wide
    // enough that the bottom picks every container's cheapest request and the top its safest one.
    static final double LOG_MU_RANGE = 40;

    private RiskAllocation() {
    }

    /**
     * One container's candidate requests at a decision, ascending, with the estimated risk of each
     * (non-increasing: more request, less risk) and its cost (increasing, in the capacity units slack
     * is counted in).
     */
    record Outlook(double[] requests, double[] risks, double[] costs) {

        Outlook {
            if (requests.length == 0 || requests.length != risks.length || requests.length != costs.length) {
                throw new IllegalArgumentException("an outlook needs as many risks and costs as requests, at least one");
            }
        }

        /** The top request: where everybody ends when μ is large. */
        double topCost() {
            return costs[costs.length - 1];
        }
    }

    /** A held-back case: the outlook its past gave, and the loss any request would have had on its next day. */
    record Case(Outlook outlook, DoubleUnaryOperator loss) {
    }

    static double cap(double risk, double factor) {
        return Math.min(1, factor * risk);
    }

    /**
     * The request minimising {@code cost + μ·risk} among those with risk ≤ {@code cap}, the smallest
     * on ties, so that the choice never falls as μ grows (costs rise and risks fall along the
     * candidates); the top candidate when none is under the cap.
     */
    static int choose(Outlook o, double mu, double cap) {
        int best = -1;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int k = 0; k < o.requests().length; k++) {
            if (o.risks()[k] > cap) {
                continue;
            }
            double v = o.costs()[k] + mu * o.risks()[k];
            if (v < bestValue) {
                bestValue = v;
                best = k;
            }
        }
        return best < 0 ? o.requests().length - 1 : best;
    }

    static double request(Outlook o, double mu, double cap) {
        return o.requests()[choose(o, mu, cap)];
    }

    /**
     * The smallest μ whose choices (risk at most {@code cap} each) keep the conformal risk-control
     * bound on {@code cases} at or under {@code alpha}; NaN without cases. The loss of each case falls as μ grows, which is what
     * the bisection of {@link RiskCalibration#margin} needs.
     */
    static double calibrate(List<Case> cases, double alpha, double cap) {
        if (cases.isEmpty()) {
            return Double.NaN;
        }
        double scale = medianTopCost(cases);
        List<DoubleUnaryOperator> losses = new ArrayList<>(cases.size());
        for (Case c : cases) {
            losses.add(logMu -> c.loss().applyAsDouble(request(c.outlook(), scale * Math.exp(logMu), cap)));
        }
        double logMu = RiskCalibration.margin(losses, alpha, -LOG_MU_RANGE, LOG_MU_RANGE);
        return scale * Math.exp(logMu);
    }

    private static double medianTopCost(List<Case> cases) {
        double[] top = cases.stream().mapToDouble(c -> c.outlook().topCost()).sorted().toArray();
        double median = top[top.length / 2];
        return median > 0 ? median : 1;
    }
}
