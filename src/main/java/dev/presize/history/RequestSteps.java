package dev.presize.history;

import java.util.Arrays;

/**
 * How a series' provisioned requests changed over time, as a step function: {@code cpu[i]} and
 * {@code memory[i]} hold from {@code times[i]} until the next change. Kept as changes, not per
 * sample, because requests rarely change (a trace of millions of samples has a handful of steps).
 */
public record RequestSteps(long[] times, double[] cpu, double[] memory) {

    public RequestSteps {
        if (times.length != cpu.length || times.length != memory.length) {
            throw new IllegalArgumentException("arrays of different lengths");
        }
    }

    /** The requests in force at {@code t}: {cpu, memory}, NaN before the first step. */
    public double[] at(long t) {
        int i = Arrays.binarySearch(times, t);
        int index = i >= 0 ? i : -i - 2;
        return index < 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {cpu[index], memory[index]};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestSteps r && Arrays.equals(times, r.times) && Arrays.equals(cpu, r.cpu)
                && Arrays.equals(memory, r.memory);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(times) + Arrays.hashCode(cpu)) + Arrays.hashCode(memory);
    }

    @Override
    public String toString() {
        return "RequestSteps[" + times.length + " steps]";
    }
}
