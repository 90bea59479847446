package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Resources;
import dev.presize.model.TargetStatus;
import dev.presize.testing.LogLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A target no price can hold on the calibration days is reported, not served silently: memory that
 * grows 2.5-fold every day goes above the whole memory ladder (at most twice the past week's peak)
 * on every calibration day, so every price leaves every container-day exceeded.
 */
class TargetReachTest {

    private static final long HOUR = HourlyUsage.HOUR;
    private static final long START = 1_700_000_000L / 86_400 * 86_400;
    private static final int DAYS = 14;
    private static final long DECISION = START + DAYS * 24 * HOUR;
    private static final double MIB = 1024.0 * 1024;

    @RegisterExtension
    final LogLines log = new LogLines(LearnedStrategy.class);

    /** Steady CPU at {@code cores}; memory at {@code memory} × growth^day through each day. */
    private static ContainerHistory container(String name, double cores, double memory, double growth) {
        HourlyUsage.Builder u = HourlyUsage.builder(START, DAYS * 24);
        for (int i = 0; i < DAYS * 24; i++) {
            for (int k = 0; k < u.cpuQuantiles().length; k++) {
                u.cpuQuantiles()[k][i] = (float) cores;
            }
            u.cpuMean()[i] = (float) cores;
            u.samples()[i] = 12;
            u.memoryMax()[i] = (float) (memory * Math.pow(growth, i / 24));
        }
        return new ContainerHistory(new SeriesKey("ns", "Deployment/" + name, "app"), u.build(), null,
                new Resources(Double.NaN, Double.NaN));
    }

    private static List<ContainerHistory> cluster(double growth) {
        List<ContainerHistory> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            out.add(container("c" + i, 0.25 * (i + 1), 64 * MIB * (i + 1), growth));
        }
        return out;
    }

    private static Map<String, TargetStatus> byFlag(List<TargetStatus> targets) {
        return targets.stream().collect(Collectors.toMap(TargetStatus::flag, t -> t));
    }

    @Test
    void aTargetOutOfTheLaddersReachIsReportedOnceAndItsReturnToo() {
        LearnedStrategy model = new LearnedStrategy(LearnedStrategy.Settings.defaults(ModelFactory.LEARNER, 0.05, 0.02,
                0.05, 6 * HOUR));
        assertEquals(List.of(), model.targets(), "nothing is known before the first training");

        model.recommend(cluster(2.5), DECISION);
        Map<String, TargetStatus> targets = byFlag(model.targets());
        assertEquals(3, targets.size(), targets.toString());
        TargetStatus memory = targets.get("memory-target-risk");
        assertFalse(memory.held(), memory.toString());
        assertEquals(1.0, memory.calibrated(), 1e-12, "every calibration day went above every candidate");
        assertEquals(0.05, memory.target());
        // Steady CPU: the ladder's top candidate, its past maximum, has nothing above it.
        assertTrue(targets.get("cpu-target-risk").held(), targets.toString());
        assertTrue(targets.get("cpu-target-unmet").held(), targets.toString());
        assertTrue(targets.get("cpu-target-unmet").calibrated() <= 0.02, targets.toString());
        assertEquals(1, log.lines().size(), log.lines().toString());
        assertEquals("WARN No price holds --memory-target-risk 0.05 on the calibration days (the closest left 1.0000"
                + " there), so the served risk will be above the target", log.lines().get(0));

        // The same state at the next training: no news.
        model.recommend(cluster(2.5), DECISION + 6 * HOUR);
        assertEquals(1, log.lines().size(), log.lines().toString());

        // Memory that stays put is held again, and that is said once.
        model.recommend(cluster(1.0), DECISION + 12 * HOUR);
        assertTrue(byFlag(model.targets()).get("memory-target-risk").held(), model.targets().toString());
        assertEquals(List.of("INFO --memory-target-risk 0.05 is held on the calibration days again"),
                log.lines().subList(1, log.lines().size()));
    }
}
