package dev.presize.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The builder is the only writer of a usage's arrays, and it stops writing once it has built. */
class HourlyUsageTest {

    private static final long START = 1_700_000_000L / 3600 * 3600;

    @Test
    void aBuilderStartsWithEveryHourMissing() {
        HourlyUsage u = HourlyUsage.builder(START, 3).build();
        assertEquals(3, u.hours());
        for (int i = 0; i < 3; i++) {
            assertFalse(u.hasCpu(i));
            assertFalse(u.hasMemory(i));
        }
        assertEquals(HourlyUsage.empty(START, 3), u);
    }

    @Test
    void buildHandsTheFilledHoursOverAndClosesTheBuilder() {
        HourlyUsage.Builder b = HourlyUsage.builder(START, 2);
        b.cpuMean()[1] = 0.5f;
        b.samples()[1] = 12;
        b.memoryMax()[0] = 1e9f;
        HourlyUsage u = b.build();
        assertTrue(u.hasCpu(1));
        assertEquals(0.5f, u.cpuMean()[1]);
        assertEquals(1e9f, u.memoryMax()[0]);
        assertFalse(u.hasCpu(0));
        // Nothing can write to the built usage's arrays through the builder any more.
        assertThrows(IllegalStateException.class, b::cpuMean);
        assertThrows(IllegalStateException.class, b::cpuQuantiles);
        assertThrows(IllegalStateException.class, b::memoryMax);
        assertThrows(IllegalStateException.class, b::samples);
        assertThrows(IllegalStateException.class, b::oomKilled);
        assertThrows(IllegalStateException.class, b::build);
    }

    @Test
    void aSliceIsACopy() {
        HourlyUsage.Builder b = HourlyUsage.builder(START, 4);
        for (int i = 0; i < 4; i++) {
            b.cpuMean()[i] = i;
            b.samples()[i] = 12;
        }
        HourlyUsage u = b.build();
        HourlyUsage slice = u.slice(1, 5);
        assertEquals(START + 3600, slice.start());
        assertEquals(4, slice.hours());
        assertEquals(1f, slice.cpuMean()[0]);
        assertEquals(3f, slice.cpuMean()[2]);
        assertFalse(slice.hasCpu(3), "the hour after the usage is missing");
        assertNotSame(u.cpuMean(), slice.cpuMean());
    }
}
