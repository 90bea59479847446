package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.config.ModelSettings;
import dev.presize.model.learned.LearnedStrategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The values are checked by the flag table (FlagTableTest); here only that they reach the model. */
class ModelFactoryTest {

    @Test
    void theFlagsReachTheModel() {
        LearnedStrategy s = (LearnedStrategy) new ModelFactory().strategy(new ModelSettings(0.1, 0.03, 0.02, Duration.ofHours(3), 0.1));
        assertEquals(0.1, s.settings().cpuRisk());
        assertEquals(0.02, s.settings().memoryRisk());
        assertEquals(3 * 3600, s.settings().retrainSeconds());
        assertEquals(0.03, s.settings().cpuUnmet());
        assertEquals(0.1, s.settings().changeCost());
        assertTrue(s.settings().learning());
        assertEquals("presize-tribuo-sgd", s.name());
    }
}
