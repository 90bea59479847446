package dev.presize.format;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QuantitiesTest {

    private static final double MI = 1024 * 1024;

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "0.25, 250m",
            "0.2501, 251m",
            "0.0000001, 1m",
            "0.29, 290m",
            "1, 1",
            "1.0001, 1001m",
            "1.5, 1500m",
            "2, 2",
            "16, 16",
            "0.999, 999m",
            "0.9991, 1",
    })
    void cpuRoundsUpToMillicoresAndUsesWholeCores(double cores, String expected) {
        assertEquals(expected, Quantities.cpu(cores));
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "1, 1Mi",
            "1048576, 1Mi",
            "1048577, 2Mi",
            "335544320, 320Mi",
            "1073741824, 1Gi",
            "1074790400, 1025Mi",
            "2147483648, 2Gi",
            "2147483649, 2049Mi",
            "1099511627776, 1Ti",
            "300000000, 287Mi",
    })
    void memoryRoundsUpToMebibytesInTheLargestUnit(double bytes, String expected) {
        assertEquals(expected, Quantities.memory(bytes));
    }

    @Test
    void floatingPointNoiseDoesNotCostAUnit() {
        assertEquals("320Mi", Quantities.memory(320 * MI * 1.15 / 1.15));
        assertEquals("290m", Quantities.cpu(0.1 + 0.19));
        assertEquals("2Gi", Quantities.memory(2048 * MI + 1e-7));
    }

    @Test
    void rejectsWhatIsNotAnAmount() {
        assertThrows(IllegalArgumentException.class, () -> Quantities.cpu(-0.001));
        assertThrows(IllegalArgumentException.class, () -> Quantities.memory(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Quantities.cpu(Double.POSITIVE_INFINITY));
    }
}
