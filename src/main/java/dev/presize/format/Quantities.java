package dev.presize.format;

import dev.presize.model.Resources;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Kubernetes canonical quantities ({@code resource.Quantity}), as the API serves them (api.md): CPU
 * rounded up to whole millicores, {@code 250m}, or whole cores {@code 2}; memory rounded up to the
 * next MiB in the largest binary unit that divides it, {@code 320Mi}, {@code 2Gi}, {@code 1Ti}.
 * Rounding is up because a request a hair too small is worse than one a hair too large.
 */
public final class Quantities {

    private static final long MILLIS_PER_CORE = 1000;
    private static final long BYTES_PER_MIB = 1024 * 1024;
    private static final long BINARY_STEP = 1024;
    private static final String[] MEMORY_UNITS = {"Mi", "Gi", "Ti", "Pi", "Ei"};
    // Values are snapped to a millionth of the unit before rounding up, so binary floating-point
    // noise (0.29 cores × 1000 = 290.00000000000006) does not cost a whole extra millicore or MiB.
    private static final int SNAP_DIGITS = 6;

    private Quantities() {
    }

    /** CPU in cores, e.g. 0.25 → {@code 250m}, 2.0 → {@code 2}, 0 → {@code 0}. */
    public static String cpu(double cores) {
        long millis = roundUp(cores * MILLIS_PER_CORE, "cpu");
        if (millis % MILLIS_PER_CORE == 0) {
            return Long.toString(millis / MILLIS_PER_CORE);
        }
        return millis + "m";
    }

    /** Memory in bytes, e.g. 300e6 → {@code 287Mi}, 2³¹ → {@code 2Gi}, 0 → {@code 0}. */
    public static String memory(double bytes) {
        long amount = roundUp(bytes / BYTES_PER_MIB, "memory");
        if (amount == 0) {
            return "0";
        }
        int unit = 0;
        while (amount % BINARY_STEP == 0 && unit < MEMORY_UNITS.length - 1) {
            amount /= BINARY_STEP;
            unit++;
        }
        return amount + MEMORY_UNITS[unit];
    }

    /**
     * The amounts exactly as {@link #cpu} and {@link #memory} will write them (CPU up to a
     * millicore, memory up to a MiB), still in cores and bytes; for totals that must equal the sum
     * of what is served. A side that is NaN (not recommended: no history of that resource) stays
     * NaN, as it is not served at all.
     */
    public static Resources asServed(Resources r) {
        return new Resources(
                Double.isNaN(r.cpuCores()) ? Double.NaN : cpuMillis(r.cpuCores()) / (double) MILLIS_PER_CORE,
                Double.isNaN(r.memoryBytes()) ? Double.NaN
                        : roundUp(r.memoryBytes() / BYTES_PER_MIB, "memory") * (double) BYTES_PER_MIB);
    }

    /** CPU in cores rounded up to whole millicores, as a number of millicores. */
    public static long cpuMillis(double cores) {
        return roundUp(cores * MILLIS_PER_CORE, "cpu");
    }

    private static long roundUp(double units, String what) {
        if (!Double.isFinite(units) || units < 0) {
            throw new IllegalArgumentException(what + " must be a finite, non-negative amount: " + units);
        }
        return BigDecimal.valueOf(units)
                .setScale(SNAP_DIGITS, RoundingMode.HALF_EVEN)
                .setScale(0, RoundingMode.CEILING)
                .longValueExact();
    }
}
