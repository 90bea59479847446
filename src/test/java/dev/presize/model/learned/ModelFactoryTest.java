package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.presize.model.learned.LearnedStrategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelFactoryTest {

    private final ModelFactory factory = new ModelFactory();

    @Test
    void theFlagsReachTheModel() {
        LearnedStrategy s = (LearnedStrategy) factory.strategy("0.1", "0.02", Duration.ofHours(3), "2.5");
        assertEquals(0.1, s.settings().cpuRisk());
        assertEquals(0.02, s.settings().memoryRisk());
        assertEquals(3 * 3600, s.settings().retrainSeconds());
        assertEquals(2.5, s.settings().riskCapFactor());
        assertEquals("presize-allocation", s.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.99", "0", "-3", "abc", "", "Infinity", "NaN"})
    void aCapFactorBelowOneOrNotANumberIsRefusedWithTheFlagsName(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> factory.strategy("0.05", "0.01", Duration.ofHours(6), value));
        assertEquals("--max-container-risk-factor must be a number of at least 1, got \"" + value + "\"", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "1.5", "x"})
    void aRiskOutsideZeroToOneIsRefused(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> factory.strategy(value, "0.01", Duration.ofHours(6), "10"));
        assertEquals("--cpu-target-risk must be a number between 0 and 1 (exclusive), got \"" + value + "\"",
                e.getMessage());
    }
}
