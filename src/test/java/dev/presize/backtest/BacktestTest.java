package dev.presize.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.ContainerSeries;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import dev.presize.model.TargetStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each strategy is shown at a decision, in particular the requests in force. */
class BacktestTest {

    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;

    /** Answers one more core (and MiB) than the request in force it sees, and records what it saw. */
    private record Climber(boolean readsApplied, List<Double> seen) implements RequestStrategy {

        @Override
        public String name() {
            return readsApplied ? "climber" : "free";
        }

        @Override
        public boolean readsApplied() {
            return readsApplied;
        }

        @Override
        public Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
            return RequestStrategy.each(containers, c -> {
                double in = c.applied().hasCpu() ? c.applied().cpuCores() : 0;
                seen.add(in);
                Resources r = new Resources(in + 1, (in + 1) * 1024 * 1024);
                return new Recommendation(r, r, r, 1, 1);
            });
        }
    }

    /**
     * Answers the trace's requests, and says its calibration missed the memory target at the
     * decisions on odd days (the backtest gives each decision a fresh one).
     */
    private static final class Calibrating implements RequestStrategy {
        private boolean missed;

        @Override
        public String name() {
            return "calibrating";
        }

        @Override
        public Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
            missed = decision / DAY % 2 == 1;
            return RequestStrategy.each(containers, c -> new Recommendation(c.current(), c.current(), c.current(), 1, 1));
        }

        @Override
        public List<TargetStatus> targets() {
            return List.of(new TargetStatus("cpu-target-risk", 0.05, 0.04, true),
                    new TargetStatus("memory-target-risk", 0.01, missed ? 0.02 : 0.01, !missed));
        }
    }

    /** Five days of a flat container whose trace declares 0.5 cores. */
    private static List<ContainerSeries> trace() {
        int n = (int) (5 * DAY / 300);
        long[] t = new long[n];
        double[] cpu = new double[n];
        double[] memory = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i * 300L;
            cpu[i] = 0.2;
            memory[i] = 64 * 1024 * 1024;
        }
        return List.of(new ContainerSeries("ns", "web", "app", t, cpu, memory, 0.5, 1e9));
    }

    @Test
    void aStrategyThatReadsTheRequestsInForceSeesItsOwnPreviousAnswersDayAfterDay() {
        List<Double> chained = Collections.synchronizedList(new ArrayList<>());
        List<Double> free = Collections.synchronizedList(new ArrayList<>());
        List<Backtest.Outcome> out = new Backtest(new Backtest.Settings(DAY, 14 * DAY)).run(trace(), List.of(
                new Backtest.Contender("climber", () -> new Climber(true, chained)),
                new Backtest.Contender("free", () -> new Climber(false, free))));
        // Decisions at days 1..4: nothing in force at the first, then each day's answer the next day.
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), chained);
        // A strategy that reads nothing of them is shown the trace's own requests, every day alike
        // (and the backtest asks it once more to learn whether it reads them).
        assertTrue(free.stream().allMatch(v -> v == 0.5), "the trace's 0.5 cores: " + free);
        assertEquals(4, out.get(0).timeline().values().iterator().next().size());
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L),
                out.get(0).timeline().values().iterator().next().stream().map(s -> s[1]).toList());
        assertEquals(new Backtest.Calibrations(0, Map.of()), out.get(0).calibrations(), "it calibrates nothing");
        assertEquals("", out.get(0).calibrations().summary());
    }

    @Test
    void eachDecisionsCalibrationIsCountedAndTheMissesSaid() {
        // Decisions at days 1..4 (the trace starts at the epoch): days 1 and 3 miss memory.
        List<Backtest.Outcome> out = new Backtest(new Backtest.Settings(DAY, 14 * DAY)).run(trace(), List.of(
                new Backtest.Contender("calibrating", Calibrating::new)));
        Backtest.Calibrations c = out.get(0).calibrations();
        assertEquals(4, c.trainings());
        assertEquals(Map.of("cpu-target-risk", 0, "memory-target-risk", 2), c.missed());
        assertEquals("no price held --memory-target-risk in 2 of its 4 trainings on the calibration days: its served"
                + " risk is above those targets", c.summary());
        assertTrue(Tables.render(out).endsWith("\ncalibrating: " + c.summary() + "\n"), Tables.render(out));
    }

    /** Decisions at days 1..4 of {@link #trace}, scored in [since, until) only. */
    private static List<Backtest.Outcome> window(long since, long until, List<Double> chained) {
        return new Backtest(new Backtest.Settings(DAY, 14 * DAY, since, until)).run(trace(), List.of(
                new Backtest.Contender("climber", () -> new Climber(true, chained)),
                new Backtest.Contender("free", () -> new Climber(false, new ArrayList<>())),
                new Backtest.Contender("calibrating", Calibrating::new)));
    }

    @Test
    void aScoringWindowScoresItsDaysOfTheWholeRunNotAFreshStartThere() {
        List<Double> seen = Collections.synchronizedList(new ArrayList<>());
        List<Backtest.Outcome> all = window(Long.MIN_VALUE, Long.MAX_VALUE, new ArrayList<>());
        List<Backtest.Outcome> late = window(3 * DAY, Long.MAX_VALUE, seen);
        List<Backtest.Outcome> early = window(Long.MIN_VALUE, 3 * DAY, new ArrayList<>());
        // The chained strategy still decides days 1 and 2 before the window: it enters day 3 with the
        // 2 cores day 2 left, as in the whole run, and is scored on days 3 and 4 only.
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0), seen);
        assertEquals(List.of(3000L, 4000L), late.get(0).timeline().values().iterator().next().stream().map(s -> s[1]).toList());
        assertEquals(List.of(1000L, 2000L), early.get(0).timeline().values().iterator().next().stream().map(s -> s[1]).toList());
        for (int i = 0; i < all.size(); i++) {
            Scorecard whole = all.get(i).score();
            Scorecard a = early.get(i).score();
            Scorecard b = late.get(i).score();
            String name = all.get(i).strategy();
            assertEquals(2, a.decisions, name);
            assertEquals(2, b.decisions, name);
            assertEquals(whole.cpuUsage, a.cpuUsage + b.cpuUsage, 1e-9, name);
            assertEquals(whole.cpuSlack, a.cpuSlack + b.cpuSlack, 1e-9, name);
            assertEquals(whole.memSlack, a.memSlack + b.memSlack, 1e-3, name);
            // A move on the window's first day is counted from the day before it, as in the whole run.
            assertEquals(whole.changes, a.changes + b.changes, name);
        }
        assertEquals(3, all.get(0).score().changes, "the climber moves every day after its first");
        assertEquals(2, late.get(0).score().changes, "day 3's move from day 2's request, and day 4's");
        // Only the window's trainings are counted: of days 3 and 4, day 3 missed memory.
        assertEquals(new Backtest.Calibrations(2, Map.of("cpu-target-risk", 0, "memory-target-risk", 1)),
                late.get(2).calibrations());
    }

    @Test
    void aScoringWindowWithoutADecisionIsAnErrorThatSaysWhereTheDecisionsAre() {
        Backtest.NothingToEvaluate e = assertThrows(Backtest.NothingToEvaluate.class,
                () -> window(DAY + 1, 2 * DAY, new ArrayList<>()));
        assertEquals("no decision to score between 1970-01-02T00:00:01Z and 1970-01-03T00:00:00Z: the decisions run"
                + " every 24 h from 1970-01-02T00:00:00Z to 1970-01-05T00:00:00Z; use --score-since and --score-until"
                + " around some of them", e.getMessage());
    }
}
