package dev.presize.model;

/** A CPU/memory pair in raw units: cores and bytes. Formatting happens once, at the edge ({@link Quantities}). */
public record Resources(double cpuCores, double memoryBytes) {

    public static final Resources ZERO = new Resources(0, 0);

    public Resources plus(Resources other) {
        return new Resources(cpuCores + other.cpuCores, memoryBytes + other.memoryBytes);
    }
}
