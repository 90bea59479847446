package dev.presize.recommendations;

import dev.presize.config.ServerFlags;
import dev.presize.format.Rfc3339;
import dev.presize.model.TargetStatus;
import dev.presize.v1beta1.Condition;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@value #TYPE} condition (api.md): the model's calibration found no price that holds one of
 * the targets a recommendation is sized for, so the risk it carries is likely above what the flag
 * asks. Deployment tooling that applies {@code requests} reads the object, not the server's log or
 * {@code /metrics}, so the object itself says it, on every object with a resource the model sized
 * for that target (a container that got the fallback, the higher of the baselines' requests, was
 * not sized by the calibrated prices). The same state is in the log (one line per change) and in
 * {@code presize_model_target_held}.
 */
final class TargetConditions {

    static final String TYPE = "TargetMissed";
    static final String REASON = "NoPriceHoldsTarget";

    private TargetConditions() {
    }

    /**
     * The condition for the targets in {@code targets} that were not held and concern a resource
     * the model sized in the object ({@code cpu}, {@code memory}), or null when there is none.
     * Its lastTransitionTime is the training that found it: the state is that training's and
     * stays until the next (every replica trains at the same refreshes, api.md).
     */
    static Condition condition(List<TargetStatus> targets, boolean cpu, boolean memory, Instant trainedAt) {
        List<String> parts = new ArrayList<>();
        for (TargetStatus t : targets) {
            boolean concerns = ServerFlags.MEMORY_TARGET_RISK.name().equals(t.flag()) ? memory : cpu;
            if (!t.held() && concerns) {
                parts.add(String.format(Locale.ROOT, "--%s %s (the closest price left %.4f %s above the"
                        + " request there)", t.flag(), plain(t.target()), t.calibrated(), unit(t.flag())));
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        return new Condition(TYPE, "True", REASON, "no price held " + String.join(" or ", parts)
                + " on the calibration days, so this recommendation's risk is likely above "
                + (parts.size() == 1 ? "that target" : "those targets"), Rfc3339.format(trainedAt));
    }

    /** What the flag's share counts (ServerFlags' help says the same). */
    private static String unit(String flag) {
        if (ServerFlags.CPU_TARGET_RISK.name().equals(flag)) {
            return "of CPU samples";
        }
        return ServerFlags.CPU_TARGET_UNMET.name().equals(flag) ? "of CPU usage" : "of container-days";
    }

    /** The flag's value as a person would have typed it: 0.01, not 1.0E-2. */
    private static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
