package dev.presize.model;

/**
 * What the last calibration reached for one of the model's target risks: the risk its choices
 * carried on the calibration days at the served price ({@code calibrated}; for CPU plus what was
 * taken off the target for the luck of its pick, measured across two halves of the containers, so
 * an estimate of the served risk) and whether that held the target. When no price holds a target —
 * too many container-days jump above anything the ladder offers — the model serves the price
 * closest to it, and the served risk will be above the target; this says so instead of failing
 * silently (docs/model-record.md, "Why memory overshoots at 1 %").
 *
 * @param flag       the target's flag, {@code cpu-target-risk}, {@code cpu-target-unmet} or
 *                   {@code memory-target-risk}
 * @param target     the flag's value
 * @param calibrated the risk on the calibration days at the served price's grid point (where the
 *                   target held, the refined price between grid points comes closer to the target)
 * @param held       whether some price held the target on the calibration days
 */
public record TargetStatus(String flag, double target, double calibrated, boolean held) {
}
