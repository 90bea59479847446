package dev.presize.model;

/**
 * A CPU/memory pair in raw units: cores and bytes. Formatting happens once, at the edge ({@link Quantities}).
 * Either side may be NaN: unknown (a request nobody set) or, in a {@link Recommendation}, not
 * recommended because the container has no usage history of that resource; sums keep it NaN.
 */
public record Resources(double cpuCores, double memoryBytes) {

    public static final Resources ZERO = new Resources(0, 0);

    /**
     * A request that moves by more than this share is a change: what the backtest's
     * {@code changes_per_week} counts (issue 12), and the move the model treats as a restart of the
     * pods (one restart serves both resources).
     */
    public static final double CHANGE_THRESHOLD = 0.10;
    private static final double MOVE_TOLERANCE = 1e-9;

    /**
     * Whether a request moving from {@code before} to {@code after} is a change (more than
     * {@link #CHANGE_THRESHOLD}); false when either is unknown (NaN). Served requests are whole
     * millicores and MiB, so an exact 10 % move (1000m → 1100m) is common enough to matter, and
     * 1.1 − 1.0 > 0.1 in binary floating point: the comparison allows for the rounding.
     */
    public static boolean moved(double before, double after) {
        return Math.abs(after - before) > CHANGE_THRESHOLD * Math.abs(before) * (1 + MOVE_TOLERANCE);
    }

    public Resources plus(Resources other) {
        return new Resources(cpuCores + other.cpuCores, memoryBytes + other.memoryBytes);
    }

    /** Whether the CPU side is a number (known, or recommended). */
    public boolean hasCpu() {
        return !Double.isNaN(cpuCores);
    }

    /** Whether the memory side is a number (known, or recommended). */
    public boolean hasMemory() {
        return !Double.isNaN(memoryBytes);
    }
}
