package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.Resources;
import dev.presize.model.baselines.VpaRecommender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The model end to end on small synthetic clusters whose right answers can be argued without the
 * code: every hour of a container has 12 CPU samples, eleven at its base level and one at its
 * burst (equal for a steady container), and the same memory peak. The CPU candidates are the past
 * maximum times e^(-6 + 0.025 k); memory candidates the past peak times e^(-4 + 0.025 k).
 */
class LearnedStrategyTest {

    private static final long HOUR = HourlyUsage.HOUR;
    private static final long START = 1_700_000_000L / HOUR * HOUR;
    private static final int DAYS = 14;
    private static final long DECISION = START + DAYS * 24 * HOUR;
    private static final double MIB = 1024.0 * 1024;
    private static final double GIB = 1024 * MIB;
    private static final Resources UNKNOWN = new Resources(Double.NaN, Double.NaN);

    private static LearnedStrategy model(double cpuRisk, double memoryRisk) {
        return model(cpuRisk, 0.02, memoryRisk);
    }

    private static LearnedStrategy model(double cpuRisk, double cpuUnmet, double memoryRisk) {
        return new LearnedStrategy(LearnedStrategy.Settings.defaults(ModelFactory.LEARNER, cpuRisk, cpuUnmet, memoryRisk,
                6 * HOUR));
    }

    private static LearnedStrategy model() {
        return model(0.05, 0.01);
    }

    /**
     * {@code hours} hours from {@code start}; each hour's 12 samples are eleven at {@code base} and
     * one at {@code burst}, so Prometheus' quantiles (level φ at rank 11φ) are p50 = p90 = base,
     * p95 = 0.55 base + 0.45 burst, p99 = 0.11 base + 0.89 burst, max = burst. Hours in
     * {@code [gapFrom, gapTo)} have no data at all.
     */
    private static HourlyUsage usage(long start, int hours, double base, double burst, double memory, int gapFrom,
                                     int gapTo) {
        HourlyUsage.Builder u = HourlyUsage.builder(start, hours);
        float[] knots = {(float) base, (float) base, (float) (0.55 * base + 0.45 * burst),
                (float) (0.11 * base + 0.89 * burst), (float) burst};
        for (int i = 0; i < hours; i++) {
            if (i >= gapFrom && i < gapTo) {
                continue;
            }
            for (int k = 0; k < knots.length; k++) {
                u.cpuQuantiles()[k][i] = knots[k];
            }
            u.cpuMean()[i] = (float) ((11 * base + burst) / 12);
            u.samples()[i] = 12;
            u.memoryMax()[i] = (float) memory;
        }
        return u.build();
    }

    private static ContainerHistory container(String name, HourlyUsage u) {
        return new ContainerHistory(new SeriesKey("ns", "Deployment/" + name, "app"), u, null, UNKNOWN);
    }

    private static ContainerHistory steady(String name, int days, double cores, double memory) {
        return container(name, usage(START + (DAYS - days) * 24 * HOUR, days * 24, cores, cores, memory, 0, 0));
    }

    private static SeriesKey key(String name) {
        return new SeriesKey("ns", "Deployment/" + name, "app");
    }

    @Test
    void aSteadyContainerIsRequestedJustAboveItsLevel() {
        // Levels that floats hold exactly, so "the past maximum" is the level itself.
        List<ContainerHistory> cluster = List.of(steady("small", DAYS, 0.25, 256 * MIB),
                steady("medium", DAYS, 0.5, GIB), steady("large", DAYS, 2, 4 * GIB));
        Map<SeriesKey, Recommendation> out = model().recommend(cluster, DECISION);
        assertEquals(3, out.size());
        for (ContainerHistory c : cluster) {
            Recommendation r = out.get(c.key());
            double level = c.usage().cpuMax(0);
            double peak = c.usage().memoryMax()[0];
            // CPU: below the level every sample is above the request, far over the 5 % target; at
            // or above it none is. The ladder is anchored at the past maximum, so the cheapest
            // candidate that holds the targets is the level itself.
            assertEquals(level, r.requests().cpuCores(), level * 1e-9, c.key() + ": " + r);
            // Memory: the random walk from a peak that never moved still gives a rise a chance
            // (half, at the minimum spread), so the request is the peak or a step or two of the
            // ladder (3 %) above it: never below it, never far above.
            assertTrue(r.requests().memoryBytes() >= peak && r.requests().memoryBytes() <= peak * 1.03 * 1.03 * 1.03,
                    c.key() + ": " + r);
            assertNull(r.model(), "the model's own answer, not a fallback");
            assertTrue(r.lowerBound().cpuCores() <= r.requests().cpuCores()
                    && r.requests().cpuCores() <= r.upperBound().cpuCores(), r.toString());
            assertTrue(r.lowerBound().memoryBytes() <= r.requests().memoryBytes()
                    && r.requests().memoryBytes() <= r.upperBound().memoryBytes(), r.toString());
            assertEquals(DAYS * 24 * 12, r.samples(), "every sample of the two weeks");
            assertTrue(r.confidence() > 0 && r.confidence() <= 1, r.toString());
        }
    }

    @Test
    void missingDaysLeaveTheAnswerAndLowerTheConfidence() {
        ContainerHistory full = steady("full", DAYS, 0.5, GIB);
        // The same container with no data at all on days 3 and 4 (hours 72 to 120).
        ContainerHistory gappy = container("gappy", usage(START, DAYS * 24, 0.5, 0.5, GIB, 72, 120));
        Map<SeriesKey, Recommendation> out = model().recommend(List.of(full, gappy), DECISION);
        Recommendation f = out.get(full.key());
        Recommendation g = out.get(gappy.key());
        assertNull(g.model(), "twelve days are plenty for the model");
        assertEquals(f.requests().cpuCores(), g.requests().cpuCores(), 1e-12, g.toString());
        assertEquals(f.requests().memoryBytes(), g.requests().memoryBytes(), 1, "as for the container without gaps");
        assertEquals(12 * 24 * 12, g.samples(), "12 days of 24 hours of 12 samples");
        assertTrue(g.confidence() < f.confidence(), "less of the two weeks covered: " + g.confidence()
                + " vs " + f.confidence());
    }

    @Test
    void theModelIsRetrainedOnEnteringEachWallClockWindow() {
        // One more day of data, so that later decisions have their past.
        List<ContainerHistory> cluster = twoContainersWithADayMore();
        // DECISION is 22:00 UTC: in the 6 h window [18:00, 24:00).
        assertEquals(22 * HOUR, Math.floorMod(DECISION, 24 * HOUR));
        long midnight = DECISION + 2 * HOUR;
        LearnedStrategy model = model();
        model.recommend(cluster, DECISION);
        assertEquals(DECISION, model.trainedAt(DECISION));
        model.recommend(cluster, DECISION + HOUR);
        assertEquals(DECISION, model.trainedAt(DECISION + HOUR), "same window: the same training");
        model.recommend(cluster, midnight);
        assertEquals(midnight, model.trainedAt(midnight), "a new window at 00:00: retrained, 2 h after the last");
        model.recommend(cluster, midnight + 6 * HOUR - 1);
        assertEquals(midnight, model.trainedAt(midnight + 6 * HOUR - 1), "still the 00:00 window");
        model.recommend(cluster, midnight + 6 * HOUR);
        assertEquals(midnight + 6 * HOUR, model.trainedAt(midnight + 6 * HOUR), "06:00: retrained");
        // A decision before the training (the backtest starting over) never uses a model that saw its future.
        model.recommend(cluster, DECISION - 24 * HOUR);
        assertEquals(DECISION - 24 * HOUR, model.trainedAt(DECISION - 24 * HOUR));
    }

    @Test
    void replicasStartedAtDifferentTimesServeTheSameModelFromTheNextWindow() {
        List<ContainerHistory> cluster = twoContainersWithADayMore();
        long midnight = DECISION + 2 * HOUR;
        LearnedStrategy early = model();
        LearnedStrategy late = model();
        early.recommend(cluster, DECISION);              // started at 22:00
        late.recommend(cluster, DECISION + HOUR);        // started at 23:00
        assertNotEquals(early.trainedAt(DECISION + HOUR), late.trainedAt(DECISION + HOUR));
        var a = early.recommend(cluster, midnight);
        var b = late.recommend(cluster, midnight);
        assertEquals(midnight, early.trainedAt(midnight));
        assertEquals(midnight, late.trainedAt(midnight));
        assertEquals(a, b, "the same history and the same training instant: the same recommendations");
    }

    private static List<ContainerHistory> twoContainersWithADayMore() {
        return List.of(
                container("a", usage(START, (DAYS + 1) * 24, 0.5, 1, GIB, 0, 0)),
                container("b", usage(START, (DAYS + 1) * 24, 1, 1.5, 2 * GIB, 0, 0)));
    }

    @Test
    void theRealisedRiskOfTheNextDayMeetsTheTarget() {
        // Ten containers of one shape at ten sizes; every day is like the last, so the day after the
        // decision is known: per hour, 12 samples, eleven at the base and one at twice the base.
        List<ContainerHistory> cluster = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            cluster.add(container("c" + i, usage(START, DAYS * 24, 0.25 * i, 0.5 * i, i * GIB, 0, 0)));
        }
        double strict = realisedCpuRisk(cluster, model(0.05, 0.01).recommend(cluster, DECISION));
        assertTrue(strict <= 0.05, "realised CPU risk " + strict + " over the 5 % target");
        // Leaving a burst uncovered puts a twelfth of that container's samples and 1/13 of its
        // volume above the request: the loose run allows that much of both.
        Map<SeriesKey, Recommendation> looseAnswers = model(0.10, 0.10, 0.01).recommend(cluster, DECISION);
        double loose = realisedCpuRisk(cluster, looseAnswers);
        assertTrue(loose <= 0.10, "realised CPU risk " + loose + " over the 10 % target");
        // The budget is spent, not hoarded: with 10 % allowed, some container is left below its burst
        // (covering every burst would be a risk of 0).
        assertTrue(loose > 0, "every burst covered at a 10 % target");
        assertTrue(totalCpu(looseAnswers) < totalCpu(model(0.05, 0.01).recommend(cluster, DECISION)),
                "a looser target asks for less");
        for (ContainerHistory c : cluster) {
            // Memory: every day peaks at the same value, so at 1 % no day may exceed the request.
            assertTrue(looseAnswers.get(c.key()).requests().memoryBytes() >= c.usage().memoryMax()[0]);
        }
    }

    @Test
    void aClusterYoungerThanTheCalibrationNeedsIsSizedAtTheColdStartLevel() {
        // Ten days of history: the calibration has only the origins with 72 hours before them, the
        // newest seven. CPU is sized from each container's own curves at one cluster-wide level,
        // and the next day (like every other) stays within the targets.
        List<ContainerHistory> cluster = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            cluster.add(container("c" + i, usage(START + 4 * 24 * HOUR, 10 * 24, 0.25 * i, 0.5 * i, i * GIB, 0, 0)));
        }
        LearnedStrategy strictModel = model(0.05, 0.01);
        Map<SeriesKey, Recommendation> strict = strictModel.recommend(cluster, DECISION);
        assertEquals(10, strict.size());
        strict.values().forEach(r -> assertNull(r.model(), "the model's own answer, not the fallback: " + r));
        assertTrue(realisedCpuRisk(cluster, strict) <= 0.05, strict.toString());
        // The CPU targets report the level's in-sample pooled risks: held, by construction.
        strictModel.targets().forEach(t -> assertTrue(t.held() && t.calibrated() <= t.target(), t.toString()));
        assertTrue(strictModel.coldStart(), "/metrics says so");
        // Each request is the container's own choice at the level, not the calibrated prices'.
        ColdStart level = strictModel.train(cluster, DECISION).cold();
        assertNotNull(level, "ten days are fewer than the calibration's 11 days and 72 hours");
        for (ContainerHistory c : cluster) {
            int origin = LearnedStrategy.decisionSlot(c.usage(), DECISION);
            Ladder l = Ladder.cpu(c.usage(), origin, 0.010);
            int own = ColdStart.choose(l.risk(), l.unmet(), Ladder.cpuMean(c.usage(), origin), level.scale() * 0.05,
                    level.scale() * 0.02);
            assertEquals(l.requests()[own], strict.get(c.key()).requests().cpuCores(), 0, c.key().toString());
        }
        assertNull(model().train(List.of(steady("old", DAYS, 0.5, GIB)), DECISION).cold(), "14 days: warm");
        LearnedStrategy warm = model();
        warm.recommend(List.of(steady("old", DAYS, 0.5, GIB)), DECISION);
        assertFalse(warm.coldStart());
        Map<SeriesKey, Recommendation> loose = model(0.10, 0.10, 0.01).recommend(cluster, DECISION);
        double looseRisk = realisedCpuRisk(cluster, loose);
        assertTrue(looseRisk > 0 && looseRisk <= 0.10, "the budget is spent, within the target: " + looseRisk);
        assertTrue(totalCpu(loose) < totalCpu(strict), "a looser target asks for less");
    }

    @Test
    void inTheColdStartTheRequestInForceStaysWhileItHoldsTheLevelAndCostsLittleMore() {
        List<ContainerHistory> cluster = List.of(steady("small", 10, 0.25, 256 * MIB),
                steady("medium", 10, 0.5, GIB), steady("large", 10, 2, 4 * GIB));
        LearnedStrategy model = model();
        Resources fresh = model.recommend(cluster, DECISION).get(key("medium")).requests();
        double best = fresh.cpuCores();
        assertEquals(0.5, best, 1e-9, "a steady container's own curves hold the targets at its level");
        // Memory in force at its best, so that it does not move and drag CPU to its best with it.
        double memory = fresh.memoryBytes();
        double near = model.recommend(inForce(cluster, new Resources(best * 1.3, memory)), DECISION)
                .get(key("medium")).requests().cpuCores();
        assertEquals(best * 1.3, near, 1e-12, "30 % more is within --change-cost 0.4");
        double far = model.recommend(inForce(cluster, new Resources(best * 1.6, memory)), DECISION)
                .get(key("medium")).requests().cpuCores();
        assertEquals(best, far, 1e-12, "60 % more is not");
        double below = model.recommend(inForce(cluster, new Resources(best * 0.9, memory)), DECISION)
                .get(key("medium")).requests().cpuCores();
        assertEquals(best, below, 1e-12, "below the level every sample is above it: never kept");
    }

    /** The share of the next day's samples above the requests, counted sample by sample. */
    private static double realisedCpuRisk(List<ContainerHistory> cluster, Map<SeriesKey, Recommendation> answers) {
        long above = 0;
        long total = 0;
        for (ContainerHistory c : cluster) {
            double base = c.usage().cpuQuantiles()[0][0];
            double burst = c.usage().cpuMax(0);
            double request = answers.get(c.key()).requests().cpuCores();
            for (int hour = 0; hour < 24; hour++) {
                above += (base > request ? 11 : 0) + (burst > request ? 1 : 0);
                total += 12;
            }
        }
        return (double) above / total;
    }

    private static double totalCpu(Map<SeriesKey, Recommendation> answers) {
        return answers.values().stream().mapToDouble(r -> r.requests().cpuCores()).sum();
    }

    @Test
    void aYoungContainerIsSizedAtTheCalibratedPricesAndNothingToCalibrateOnFallsBackToVpa() {
        ContainerHistory twoDays = steady("new", 2, 0.5, GIB);
        ContainerHistory nothing = container("idle", HourlyUsage.empty(START, DAYS * 24));
        ContainerHistory old = steady("old", DAYS, 0.5, GIB);
        List<ContainerHistory> cluster = List.of(old, twoDays, nothing);
        Map<SeriesKey, Recommendation> out = model().recommend(cluster, DECISION);
        assertNull(out.get(old.key()).model());
        // Less than the 72 hours a calibration origin needs, in a cluster where someone has them:
        // the model's own answer at the prices, not the VPA-like baseline's, and the confidence
        // says how little history it has.
        Recommendation young = out.get(twoDays.key());
        assertNull(young.model(), young.toString());
        assertTrue(young.confidence() <= 0.3, young.toString());
        // CPU that never varied: the level itself, as for the old container.
        assertEquals(0.5, young.requests().cpuCores(), 1e-9, young.toString());
        // Memory: two equal daily peaks are no evidence that memory never moves (one day-to-day
        // move measures no spread), so the young container gets more headroom above its peak than
        // the old one, whose two weeks never moved.
        assertTrue(young.requests().memoryBytes() > out.get(old.key()).requests().memoryBytes(),
                young + " against " + out.get(old.key()));
        assertFalse(out.containsKey(nothing.key()), "no CPU data, no answer");

        // A cluster where nobody has 72 hours: nothing to calibrate on, so everyone falls back.
        Map<SeriesKey, Recommendation> young2 = model().recommend(
                List.of(steady("x", 2, 0.5, GIB), steady("y", 2, 1, 2 * GIB)), DECISION);
        assertEquals(2, young2.size());
        young2.values().forEach(r -> assertEquals(Fallback.NAME, r.model()));
    }

    @Test
    void twoInstancesGivenTheSameHistoryAnswerAlike() {
        // Replicas train their own models; they must serve the same numbers.
        List<ContainerHistory> cluster = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            cluster.add(container("c" + i, usage(START, DAYS * 24, 0.25 * i, 0.75 * i, i * GIB, 0, 0)));
        }
        assertEquals(model().recommend(cluster, DECISION), model().recommend(cluster, DECISION));
    }

    /** {@code days} days of memory maxima at {@code memory}, no CPU samples at all. */
    private static ContainerHistory memoryOnly(String name, int days, double memory) {
        HourlyUsage.Builder u = HourlyUsage.builder(START + (DAYS - days) * 24 * HOUR, days * 24);
        java.util.Arrays.fill(u.memoryMax(), (float) memory);
        return container(name, u.build());
    }

    @Test
    void aContainerWithoutMemoryHistoryGetsTheModelsCpuAndNoMemory() {
        List<ContainerHistory> others = List.of(steady("small", DAYS, 0.25, 256 * MIB),
                steady("large", DAYS, 2, 4 * GIB));
        ContainerHistory twin = steady("twin", DAYS, 0.5, GIB);
        ContainerHistory cpuOnly = steady("cpu-only", DAYS, 0.5, Double.NaN);
        Recommendation withMemory = model().recommend(
                java.util.stream.Stream.concat(others.stream(), java.util.stream.Stream.of(twin)).toList(), DECISION)
                .get(twin.key());
        Recommendation r = model().recommend(
                java.util.stream.Stream.concat(others.stream(), java.util.stream.Stream.of(cpuOnly)).toList(), DECISION)
                .get(cpuOnly.key());
        assertNull(r.model(), "the model's own answer, not a fallback: " + r);
        // The CPU side reads CPU only, and the CPU calibration had the same cases either way.
        assertEquals(withMemory.requests().cpuCores(), r.requests().cpuCores(), r.toString());
        assertEquals(withMemory.lowerBound().cpuCores(), r.lowerBound().cpuCores(), r.toString());
        assertEquals(withMemory.upperBound().cpuCores(), r.upperBound().cpuCores(), r.toString());
        assertFalse(r.requests().hasMemory() || r.lowerBound().hasMemory() || r.upperBound().hasMemory(),
                "no memory history, no memory recommendation: " + r);
        assertTrue(r.confidence() > 0 && r.confidence() <= 1, r.toString());
    }

    @Test
    void aClusterOfContainersYoungerThanACalibrationDayNeedsGetsTheFallbackAndSaysSo() {
        // Three days of history each (a cluster of short-lived workloads, or one just installed):
        // no origin has 72 hours before it, nothing is calibrated, every container gets the
        // fallback, and /metrics says so; a cluster with history does not.
        // The fallback is, per resource, the higher of the VPA-like request and KRR's rule, so
        // that no risk is above either baseline's: for the bursty container KRR's 95th percentile
        // is above VPA's 90th × 1.15.
        ContainerHistory bursty = container("bursty", usage(START + (DAYS - 3) * 24 * HOUR, 3 * 24, 0.1, 1, GIB, 0, 0));
        List<ContainerHistory> young = List.of(steady("a", 3, 0.25, GIB), steady("b", 3, 2, 2 * GIB), bursty);
        LearnedStrategy m = model();
        Map<SeriesKey, Recommendation> out = m.recommend(young, DECISION);
        assertEquals(3, out.size());
        for (ContainerHistory c : young) {
            Recommendation r = out.get(c.key());
            assertEquals(Fallback.NAME, r.model(), r.toString());
            Recommendation vpa = new VpaRecommender().recommend(c, DECISION);
            dev.presize.model.Resources krr = Fallback.krr(c.usage(), LearnedStrategy.decisionSlot(c.usage(), DECISION));
            assertEquals(Math.max(vpa.requests().cpuCores(), krr.cpuCores()), r.requests().cpuCores(), 0, r.toString());
            assertEquals(Math.max(vpa.requests().memoryBytes(), krr.memoryBytes()), r.requests().memoryBytes(), 0,
                    r.toString());
            assertTrue(r.lowerBound().cpuCores() <= r.requests().cpuCores()
                    && r.requests().cpuCores() <= r.upperBound().cpuCores(), r.toString());
            assertTrue(r.lowerBound().memoryBytes() <= r.requests().memoryBytes()
                    && r.requests().memoryBytes() <= r.upperBound().memoryBytes(), r.toString());
            assertTrue(r.confidence() <= Fallback.CONFIDENCE, r.toString());
            if (c == bursty) {
                assertTrue(krr.cpuCores() > vpa.requests().cpuCores(), krr + " against " + vpa);
            }
        }
        assertTrue(m.fallback(), "/metrics says so");
        assertTrue(m.targets().isEmpty(), "no target was calibrated");
        LearnedStrategy warm = model();
        warm.recommend(List.of(steady("old", DAYS, 0.5, GIB)), DECISION);
        assertFalse(warm.fallback());
        // CPU calibrated, memory not though a container has memory history: that one falls back.
        LearnedStrategy half = model();
        half.recommend(List.of(steady("cpu", DAYS, 0.5, Double.NaN), steady("new", 2, 0.5, GIB)), DECISION);
        assertTrue(half.fallback(), "the young container with memory got the fallback");
        assertFalse(half.targets().isEmpty(), "CPU was calibrated");
        // A CPU-only cluster has no memory to fall back for.
        LearnedStrategy cpuOnly = model();
        cpuOnly.recommend(List.of(steady("a", DAYS, 0.5, Double.NaN), steady("b", DAYS, 1, Double.NaN)), DECISION);
        assertFalse(cpuOnly.fallback());
    }

    @Test
    void aClusterWithoutAnyMemoryHistoryIsRecommendedCpuByTheModel() {
        // Nothing to calibrate memory on: CPU is still the model's, not a fallback for everyone.
        List<ContainerHistory> cluster = List.of(steady("a", DAYS, 0.25, Double.NaN),
                steady("b", DAYS, 0.5, Double.NaN), steady("c", DAYS, 2, Double.NaN));
        Map<SeriesKey, Recommendation> out = model().recommend(cluster, DECISION);
        assertEquals(3, out.size());
        for (ContainerHistory c : cluster) {
            Recommendation r = out.get(c.key());
            assertNull(r.model(), r.toString());
            double level = c.usage().cpuMax(0);
            assertTrue(r.requests().cpuCores() >= level && r.requests().cpuCores() <= level * Math.exp(0.025) + 1e-12,
                    c.key() + ": " + r);
            assertFalse(r.requests().hasMemory(), r.toString());
        }
    }

    @Test
    void aContainerWithoutCpuHistoryGetsItsMemoryFromTheModel() {
        // Memory has its own ladder and calibration, read off the memory history alone.
        ContainerHistory memory = memoryOnly("memory-only", DAYS, GIB);
        Map<SeriesKey, Recommendation> out = model().recommend(List.of(steady("a", DAYS, 0.5, GIB), memory),
                DECISION);
        Recommendation r = out.get(memory.key());
        assertNull(r.model(), "the model's own answer, not the fallback's: " + r);
        assertFalse(r.requests().hasCpu() || r.lowerBound().hasCpu() || r.upperBound().hasCpu(), r.toString());
        assertTrue(r.requests().memoryBytes() >= GIB && Double.isFinite(r.upperBound().memoryBytes()), r.toString());
        assertNull(out.get(key("a")).model(), "the container with both is still the model's");
    }

    @Test
    void noMemoryRequestFallsUnderAWeeksFloorAfterMemoryCameDown() {
        // Memory at 2 GiB until five days before the decision, then 0.8 GiB: at a loose memory
        // target (half the days exceeded) the prices alone take a request of 1.15 GB (measured with
        // the floor off). The week's floor keeps it at or above 0.7 of the week's highest, 1.4 GiB
        // (0.95 of the last three days' is 0.8 GiB).
        assertMemoryFloor(h -> h < (DAYS - 5) * 24 ? 2 * GIB : 0.8 * GIB * (1 + 0.05 * (h % 24) / 24.0),
                Ladder.MEMORY_FLOOR * 2 * GIB);
    }

    @Test
    void noMemoryRequestFallsUnderTheRecentFloorAfterASpike() {
        // Memory at 1.2 GiB but for one hour at 2 GiB two days before the decision: at a loose
        // memory target the prices alone take 0.54 GB (measured with the floor off); the recent
        // floor keeps the request at or above 0.95 of the spike, 1.9 GiB.
        assertMemoryFloor(h -> h == (DAYS - 2) * 24 + 5 ? 2 * GIB : 1.2 * GIB * (1 + 0.05 * (h % 24) / 24.0),
                Ladder.RECENT_FLOOR * 2 * GIB);
    }

    /**
     * A container whose hourly memory is {@code memory(h)}, among four steady ones, at a loose
     * memory target: its request, and its lower bound but for the ladder step below the request it
     * takes when the request is its own candidate (docs/api.md), are at or above {@code floor},
     * the first candidate at or above it.
     */
    private void assertMemoryFloor(IntToDoubleFunction memory, double floor) {
        HourlyUsage.Builder u = HourlyUsage.builder(START, DAYS * 24);
        for (int h = 0; h < DAYS * 24; h++) {
            for (int k = 0; k < 5; k++) {
                u.cpuQuantiles()[k][h] = 0.5f;
            }
            u.cpuMean()[h] = 0.5f;
            u.samples()[h] = 12;
            u.memoryMax()[h] = (float) memory.applyAsDouble(h);
        }
        List<ContainerHistory> cluster = new ArrayList<>(List.of(container("fell", u.build())));
        for (int i = 1; i <= 4; i++) {
            cluster.add(steady("steady" + i, DAYS, 0.25 * i, i * GIB));
        }
        Recommendation r = model(0.05, 0.02, 0.5).recommend(cluster, DECISION).get(key("fell"));
        assertNull(r.model(), "the model's own answer: " + r);
        assertTrue(r.requests().memoryBytes() >= floor, r.toString());
        assertTrue(r.lowerBound().memoryBytes() >= floor / Ladder.MEMORY_STEP, r.toString());
        Ladder l = Ladder.memory(cluster.get(0).usage(), LearnedStrategy.decisionSlot(cluster.get(0).usage(), DECISION));
        assertEquals(floor, l.floor(), floor * 1e-6);
        assertTrue(l.requests()[0] < floor && l.requests()[l.firstChoice()] >= floor
                && l.requests()[l.firstChoice() - 1] < floor, "the first candidate at or above it");
    }

    @Test
    void anUpperBoundThatSaysNothingIsTheLowerBoundMirrored() {
        assertEquals(3, Sizer.upperBound(1, 2, 3), 1e-12, "the stricter target's request when above");
        assertEquals(4, Sizer.upperBound(1, 2, 2), 1e-12, "2 × 2 / 1");
        assertEquals(2, Sizer.upperBound(2, 2, 2), 1e-12, "no lower bound below the request: nothing to mirror");
        assertEquals(1, Sizer.lowerBound(1, 2, 1.05), 1e-12, "the looser target's request when below");
        assertEquals(2 / 1.05, Sizer.lowerBound(2, 2, 1.05), 1e-12, "usage that never varies: a step below");
    }

    @Test
    void theRequestInForceStaysWhileNearlyAsCheapAndGoesWhenNot() {
        List<ContainerHistory> cluster = List.of(steady("small", DAYS, 0.25, 256 * MIB),
                steady("medium", DAYS, 0.5, GIB), steady("large", DAYS, 2, 4 * GIB));
        LearnedStrategy model = model();
        assertTrue(model.readsApplied(), "the backtest must replay it day after day");
        Recommendation fresh = model.recommend(cluster, DECISION).get(key("medium"));
        double cpu = fresh.requests().cpuCores();
        double memory = fresh.requests().memoryBytes();
        // 0.5 cores and a few steps of the ladder above: a few per cent more cost than the best,
        // under the share a change is worth (--change-cost); 1.5 cores and 3 GiB cost three times as much.
        Map<SeriesKey, Recommendation> near = model.recommend(inForce(cluster, new Resources(cpu * 1.08, memory * 1.06)),
                DECISION);
        assertEquals(cpu * 1.08, near.get(key("medium")).requests().cpuCores(), 1e-12, near.toString());
        assertEquals(memory * 1.06, near.get(key("medium")).requests().memoryBytes(), 1e-3, near.toString());
        Recommendation kept = near.get(key("medium"));
        assertTrue(kept.lowerBound().cpuCores() <= cpu && kept.upperBound().cpuCores() >= cpu * 1.08, kept.toString());
        Map<SeriesKey, Recommendation> far = model.recommend(inForce(cluster, new Resources(cpu * 3, memory * 3)), DECISION);
        assertEquals(fresh.requests(), far.get(key("medium")).requests());
        // The other containers, with nothing in force, are answered as before.
        assertEquals(model.recommend(cluster, DECISION).get(key("small")), near.get(key("small")));
        // --change-cost 0: the best, whatever is in force.
        LearnedStrategy always = new LearnedStrategy(model.settings().withChangeCost(0));
        assertEquals(fresh.requests(), always.recommend(inForce(cluster, new Resources(cpu * 1.08, memory * 1.06)),
                DECISION).get(key("medium")).requests());
    }

    @Test
    void whenOneResourceMovesUpTheOtherMovesToItsBestInTheSameRestart() {
        List<ContainerHistory> cluster = List.of(steady("small", DAYS, 0.25, 256 * MIB),
                steady("medium", DAYS, 0.5, GIB), steady("large", DAYS, 2, 4 * GIB));
        LearnedStrategy model = model();
        Resources best = model.recommend(cluster, DECISION).get(key("medium")).requests();
        double cpu = best.cpuCores();
        double memory = best.memoryBytes();
        // Memory alone would be kept (as in the test above), but CPU must move up: the pods restart,
        // so memory takes its best in the same restart instead of a later one of its own.
        Resources cpuRises = model.recommend(inForce(cluster, new Resources(cpu / 3, memory * 1.06)), DECISION)
                .get(key("medium")).requests();
        assertEquals(best, cpuRises);
        Resources memoryRises = model.recommend(inForce(cluster, new Resources(cpu * 1.08, memory / 3)), DECISION)
                .get(key("medium")).requests();
        assertEquals(best, memoryRises);
        // A move down does not drag the other along: it keeps its request in force.
        Resources cpuFalls = model.recommend(inForce(cluster, new Resources(cpu * 3, memory * 1.06)), DECISION)
                .get(key("medium")).requests();
        assertEquals(cpu, cpuFalls.cpuCores(), 1e-12, cpuFalls.toString());
        assertEquals(memory * 1.06, cpuFalls.memoryBytes(), 1e-3, cpuFalls.toString());
        Resources memoryFalls = model.recommend(inForce(cluster, new Resources(cpu * 1.08, memory * 3)), DECISION)
                .get(key("medium")).requests();
        assertEquals(cpu * 1.08, memoryFalls.cpuCores(), 1e-12, memoryFalls.toString());
        assertEquals(memory, memoryFalls.memoryBytes(), 1e-3, memoryFalls.toString());
    }

    /** The cluster with {@code applied} in force for "medium" only. */
    private static List<ContainerHistory> inForce(List<ContainerHistory> cluster, Resources applied) {
        return cluster.stream().map(c -> c.key().equals(key("medium"))
                ? new ContainerHistory(c.key(), c.usage(), null, UNKNOWN, applied) : c).toList();
    }
}
