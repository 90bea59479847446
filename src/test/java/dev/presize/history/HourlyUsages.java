package dev.presize.history;

/** For tests that need a usage like another but for a few hours: a builder holding a copy of it. */
public final class HourlyUsages {

    private HourlyUsages() {
    }

    /** A builder filled with a copy of {@code u}; {@code u} itself is left alone. */
    public static HourlyUsage.Builder copyOf(HourlyUsage u) {
        HourlyUsage.Builder b = HourlyUsage.builder(u.start(), u.hours());
        System.arraycopy(u.cpuMean(), 0, b.cpuMean(), 0, u.hours());
        for (int k = 0; k < HourlyUsage.CPU_LEVELS.length; k++) {
            System.arraycopy(u.cpuQuantiles()[k], 0, b.cpuQuantiles()[k], 0, u.hours());
        }
        System.arraycopy(u.memoryMax(), 0, b.memoryMax(), 0, u.hours());
        System.arraycopy(u.samples(), 0, b.samples(), 0, u.hours());
        System.arraycopy(u.oomKilled(), 0, b.oomKilled(), 0, u.hours());
        return b;
    }
}
