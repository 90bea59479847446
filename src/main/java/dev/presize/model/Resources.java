package dev.presize.model;

/**
 * A CPU/memory pair in raw units: cores and bytes. Formatting happens once, at the edge ({@link Quantities}).
 * Either side may be NaN: unknown (a request nobody set) or, in a {@link Recommendation}, not
 * recommended because the container has no usage history of that resource; sums keep it NaN.
 */
public record Resources(double cpuCores, double memoryBytes) {

    public static final Resources ZERO = new Resources(0, 0);

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
