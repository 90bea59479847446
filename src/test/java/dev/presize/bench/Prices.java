package dev.presize.bench;

import java.util.function.DoubleUnaryOperator;

/** The one price search the bounds share: the least price at which a pooled risk holds its target. */
final class Prices {

    private Prices() {
    }

    /**
     * The least price at which {@code risk} (falling as the price rises) is at most {@code target}:
     * from 1, the price is multiplied by 4 until the risk holds or the price reaches {@code cap},
     * then bisected {@code iterations} times between 0 and it. When even the cap does not hold the
     * target, the cap itself, unbisected: the caller decides whether that counts.
     */
    static double least(DoubleUnaryOperator risk, double target, double cap, int iterations) {
        double hi = 1;
        while (risk.applyAsDouble(hi) > target && hi < cap) {
            hi *= 4;
        }
        if (risk.applyAsDouble(hi) > target) {
            return hi;
        }
        double lo = 0;
        for (int i = 0; i < iterations; i++) {
            double mid = (lo + hi) / 2;
            if (risk.applyAsDouble(mid) > target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }
}
