package dev.presize.model.learned;

import java.util.List;

/**
 * The prices for the request's targets and for the two bounds' targets, and the risks the
 * request's prices are expected to carry out of sample: the pooled risks of its grid point on the
 * calibration days plus what was taken off its targets for the pick's optimism, so that they
 * are at most the targets exactly when that point held the lowered targets ({@code unmet} NaN
 * for memory).
 */
record PriceSet(Lagrangian.Prices request, Lagrangian.Prices lower, Lagrangian.Prices upper, double risk,
                double unmet) {

    /** The bounds: the request at 4× looser and 4× stricter targets (docs/api.md). */
    static final double BOUND_RISK_FACTOR = 4;

    /** The lower bound's target: 4× looser, at most a half. */
    static double looser(double risk) {
        return Math.min(0.5, risk * BOUND_RISK_FACTOR);
    }

    /** The upper bound's target: 4× stricter. */
    static double stricter(double risk) {
        return risk / BOUND_RISK_FACTOR;
    }

    /**
     * The request's and the bounds' prices from the grid of {@code cases}, each refined between
     * grid points ({@link Lagrangian#refine}); {@code unmet} is NaN for memory. CPU's targets are
     * first lowered by the winner's curse of its pick among the (μ, λ) grid
     * ({@link Lagrangian.Grid#optimism}); memory's single price is a threshold, the smallest that
     * holds its target, not a pick among many, so its pooled risk is taken as it is.
     */
    static PriceSet refined(List<List<Lagrangian.Case>> cases, double scale, double changeCost, double risk,
                            double unmet, boolean cpu) {
        Lagrangian.Grid grid = cpu ? Lagrangian.cpu(cases, scale, changeCost) : Lagrangian.memory(cases, scale, changeCost);
        double[] risks = {risk, looser(risk), stricter(risk)};
        double[] unmets = {unmet, looser(unmet), stricter(unmet)};
        if (cpu) {
            for (int t = 0; t < risks.length; t++) {
                Lagrangian.Optimism o = grid.optimism(risks[t], unmets[t]);
                risks[t] = Lagrangian.Optimism.lowered(risks[t], o.risk());
                unmets[t] = Lagrangian.Optimism.lowered(unmets[t], o.unmet());
            }
        }
        Lagrangian.Prices[] p = Lagrangian.refine(cases, scale, changeCost, grid, risks, unmets, cpu);
        int i = grid.bestIndex(risks[0], unmets[0]);
        // What was taken off, not the whole optimism: where the floor capped it (a few
        // containers per fold, whose measured luck is mostly noise), a point holding the
        // lowered targets is reported as holding the targets, which is what it was chosen for.
        return new PriceSet(p[0], p[1], p[2], grid.risk()[i] + (risk - risks[0]),
                cpu ? grid.unmet()[i] + (unmet - unmets[0]) : Double.NaN);
    }
}
