package dev.presize.model.learned;

import java.util.List;

/**
 * Chooses each container's request from its ladder by one price per risk, and calibrates the prices
 * on held-back days. The three risks are pooled over the cluster (samples above, volume above,
 * container-days exceeded), so the cheapest way to hold them is not the same quantile for everyone:
 * minimising Σ slack + μ·Σ unmet + λ·(samples above) container by container (a Lagrangian relaxation;
 * the sum separates) gives headroom where it is cheap in cores — small, steady containers — and takes
 * the counted risk where headroom would be expensive, while μ keeps the volume above the requests
 * from piling up on the biggest, burstiest containers. Since slack = R − mean + unmet per sample, the
 * per-container cost of a candidate R is R + (1 + μ)·unmet(R) + λ·scale·risk(R); memory's is
 * R + λ·scale·risk(R). The prices are the grid point whose choices, replayed on the calibration days,
 * hold the targets with the least slack.
 */
final class Lagrangian {

    static final double[] MU = {0, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 12, 20, 35, 60, 100, 200};
    static final double[] LAMBDA = {0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500};
    static final double[] MEMORY_LAMBDA = memoryLambda();

    private Lagrangian() {
    }

    /** Prices: {@code mu} for CPU volume above, {@code lambda} (times the scale) for the counted risk. */
    record Prices(double mu, double lambda) {
    }

    /** The index of the cheapest candidate at these prices. */
    static int choose(double[] requests, double[] risk, double[] unmet, Prices p, double scale) {
        int best = requests.length - 1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int j = 0; j < requests.length; j++) {
            double cost = requests[j] + p.lambda() * scale * risk[j]
                    + (Double.isNaN(unmet[j]) ? 0 : (1 + p.mu()) * unmet[j]);
            if (cost < bestCost) {
                bestCost = cost;
                best = j;
            }
        }
        return best;
    }

    /**
     * A calibration case: the curves the choice reads (in-sample or predicted) and what the day after
     * the origin held at each candidate: samples above (CPU) or 1/0 exceeded (memory), volume above,
     * slack; and the day's sample count and usage.
     */
    record Case(double[] requests, double[] risk, double[] unmet, double[] above, double[] realizedUnmet,
                double[] slack, double samples, double usage) {
    }

    /** Realised pooled risks and slack of the choices at every grid point; the best is read per target. */
    record Grid(Prices[] prices, double[] risk, double[] unmet, double[] slack) {

        /**
         * The prices holding both targets with the least slack; when none does, the ones closest to
         * them (the least worst ratio to its target).
         */
        Prices best(double riskTarget, double unmetTarget) {
            int best = -1;
            int closest = 0;
            double closestRatio = Double.POSITIVE_INFINITY;
            for (int i = 0; i < prices.length; i++) {
                double ratio = Math.max(risk[i] / riskTarget, Double.isNaN(unmet[i]) ? 0 : unmet[i] / unmetTarget);
                if (ratio <= 1 && (best < 0 || slack[i] < slack[best])) {
                    best = i;
                }
                if (ratio < closestRatio || (ratio == closestRatio && slack[i] < slack[closest])) {
                    closestRatio = ratio;
                    closest = i;
                }
            }
            int i = best >= 0 ? best : closest;
            if (System.getenv("PRESIZE_DEBUG") != null) {
                System.err.println("DEBUG grid target " + riskTarget + "/" + unmetTarget + " -> " + prices[i] + " risk=" + risk[i] + " unmet=" + unmet[i] + " slack=" + slack[i] + (best < 0 ? " INFEASIBLE" : ""));
            }
            return prices[i];
        }
    }

    /** Replays the CPU cases at every (μ, λ). */
    static Grid cpu(List<Case> cases, double scale) {
        Prices[] prices = new Prices[MU.length * LAMBDA.length];
        int n = 0;
        for (double mu : MU) {
            for (double lambda : LAMBDA) {
                prices[n++] = new Prices(mu, lambda);
            }
        }
        return replay(cases, prices, scale, true);
    }

    /** Replays the memory cases at every λ. */
    static Grid memory(List<Case> cases, double scale) {
        Prices[] prices = new Prices[MEMORY_LAMBDA.length];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = new Prices(0, MEMORY_LAMBDA[i]);
        }
        return replay(cases, prices, scale, false);
    }

    private static Grid replay(List<Case> cases, Prices[] prices, double scale, boolean cpu) {
        double[] risk = new double[prices.length];
        double[] unmet = new double[prices.length];
        double[] slack = new double[prices.length];
        double samples = 0;
        double usage = 0;
        for (Case c : cases) {
            samples += cpu ? c.samples() : 1;
            usage += c.usage();
        }
        for (int i = 0; i < prices.length; i++) {
            double above = 0;
            double volume = 0;
            double idle = 0;
            for (Case c : cases) {
                int j = choose(c.requests(), c.risk(), c.unmet(), prices[i], scale);
                above += c.above()[j];
                volume += cpu ? c.realizedUnmet()[j] : 0;
                idle += c.slack()[j];
            }
            risk[i] = samples == 0 ? 0 : above / samples;
            unmet[i] = cpu ? (usage == 0 ? 0 : volume / usage) : Double.NaN;
            slack[i] = usage == 0 ? 0 : idle / usage;
        }
        return new Grid(prices, risk, unmet, slack);
    }

    private static double[] memoryLambda() {
        double[] l = new double[80];
        for (int i = 1; i < l.length; i++) {
            l[i] = Math.exp(-8 + 0.25 * (i - 1));
        }
        return l;
    }
}
