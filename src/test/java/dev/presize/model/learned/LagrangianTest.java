package dev.presize.model.learned;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagrangianTest {

    private static final double NAN = Double.NaN;

    @Test
    void theCheapestCandidateMovesUpAsTheRiskGetsDearer() {
        double[] requests = {1, 2, 3};
        double[] risk = {0.5, 0.1, 0};
        double[] noUnmet = {NAN, NAN, NAN};
        assertEquals(0, Lagrangian.choose(requests, risk, noUnmet, new Lagrangian.Prices(0, 0), 1), "free risk");
        // 1 + 0.5λ vs 2 + 0.1λ vs 3: the middle one wins for 2.5 < λ < 10, the top one above.
        assertEquals(1, Lagrangian.choose(requests, risk, noUnmet, new Lagrangian.Prices(0, 5), 1));
        assertEquals(2, Lagrangian.choose(requests, risk, noUnmet, new Lagrangian.Prices(0, 20), 1));
        // The scale is the price's unit: λ = 5 on a scale of 4 is λ = 20 on a scale of 1.
        assertEquals(2, Lagrangian.choose(requests, risk, noUnmet, new Lagrangian.Prices(0, 5), 4));
        // Volume above the request is priced at 1 + μ (slack already carries it once).
        double[] unmet = {1, 0.2, 0};
        assertEquals(1, Lagrangian.choose(requests, new double[3], unmet, new Lagrangian.Prices(1, 0), 1),
                "1 + 2·1 = 3 vs 2 + 2·0.2 = 2.4 vs 3");
    }

    @Test
    void aWalkThatStopsWhereTheRequestAloneCostsMoreChoosesWhatTheWholeWalkDoes() {
        // Ascending ladders with repeated requests, ties in cost, NaN volumes and curves that are
        // not monotone, at the grid's prices and at prices of 0: the walk that stops early must
        // pick the same index, ties included (the first of the cheapest).
        java.util.Random random = new java.util.Random(11);
        int stopped = 0;
        for (int t = 0; t < 2000; t++) {
            int n = 1 + random.nextInt(40);
            double[] requests = new double[n];
            double[] risk = new double[n];
            double[] unmet = new double[n];
            double r = random.nextDouble();
            for (int j = 0; j < n; j++) {
                r += random.nextInt(5) == 0 ? 0 : random.nextDouble() * 0.1;
                requests[j] = r;
                risk[j] = random.nextInt(6) == 0 ? 0 : random.nextDouble() * (n - j) / n;
                unmet[j] = t % 3 == 0 ? NAN : random.nextInt(6) == 0 ? 0 : random.nextDouble() * (n - j) / n;
            }
            if (t % 7 == 0 && n > 2) { // a tie at every price: the same candidate twice
                requests[1] = requests[0];
                risk[1] = risk[0];
                unmet[1] = unmet[0];
            }
            assertTrue(Lagrangian.bounded(requests, risk, unmet));
            for (double mu : Lagrangian.MU) {
                for (double lambda : Lagrangian.LAMBDA) {
                    double riskPrice = lambda * 0.7;
                    int whole = Lagrangian.choose(requests, risk, unmet, riskPrice, 1 + mu, false);
                    int early = Lagrangian.choose(requests, risk, unmet, riskPrice, 1 + mu, true);
                    assertEquals(whole, early, "case " + t + " at μ " + mu + ", λ " + lambda);
                    stopped += whole < n - 1 ? 1 : 0;
                }
            }
        }
        assertTrue(stopped > 0, "some walks had candidates above the cheapest to skip");
        // Falling requests, NaN requests or negative curves are not bounded: the whole walk is taken.
        assertFalse(Lagrangian.bounded(new double[] {1, 0.5}, new double[2], new double[2]));
        assertFalse(Lagrangian.bounded(new double[] {1, NAN}, new double[2], new double[2]));
        assertFalse(Lagrangian.bounded(new double[] {1, 2}, new double[] {0, -1}, new double[2]));
        assertFalse(Lagrangian.bounded(new double[] {1, 2}, new double[2], new double[] {-1, 0}));
        // A negative price (never set by the grids) takes the whole walk too: 1 − 5 beats 2 − 0.
        assertEquals(0, Lagrangian.choose(new double[] {1, 2, 3}, new double[] {1, 0, 0}, new double[3], -5, 1, true));
    }

    @Test
    void thePicksLuckMeasuredAcrossTheFoldsIsTakenOffTheTargets() {
        // Two folds of containers whose candidates {1, 2, 3} carry the same curves; on the day after,
        // fold 0 went above 1 on every sample, fold 1 on none: pooled, the request 1 is above half
        // the samples, but on fold 0 all of them.
        Lagrangian.Grid grid = Lagrangian.cpu(folds(new double[] {10, 0, 0}, new double[] {0, 0, 0}), 1, 0.25);
        double[] risk = {0.5, 0.05, 0};
        double[] unmet = {0.1, 0.01, 0};
        Lagrangian.Prices pooled = grid.best(0.6, 0.5);
        assertEquals(0, Lagrangian.choose(new double[] {1, 2, 3}, risk, unmet, pooled, 1),
                "pooled, the request 1 meets a 60 % target (50 % above): " + pooled);
        // Picked on fold 1, the request 1 holds (0 above) and is above every sample of fold 0 (+1);
        // picked on fold 0, the request 2 holds and carries 0 on fold 1 as well (+0): the mean, 0.5,
        // is the luck of a pick on half the containers; on all of them, 0.5 / √2.
        Lagrangian.Optimism luck = grid.optimism(0.6, 0.5);
        assertEquals(0.5 / Math.sqrt(2), luck.risk(), 1e-12);
        assertEquals(0, luck.unmet(), 1e-12, "nothing above the requests in volume on either fold");
        double lowered = Lagrangian.Optimism.lowered(0.6, luck.risk());
        assertEquals(0.3, lowered, 1e-12, "0.6 - 0.35 is under half the target: the half");
        Lagrangian.Prices p = grid.best(lowered, 0.5);
        assertEquals(1, Lagrangian.choose(new double[] {1, 2, 3}, risk, unmet, p, 1),
                "the lowered target: the request 1's 50 % no longer holds it: " + p);
        assertEquals(0.4, Lagrangian.Optimism.lowered(0.6, 0.2), 1e-12);
        assertEquals(0.3, Lagrangian.Optimism.lowered(0.6, 0.5), 1e-12, "never below half the target");
        // A target nobody can meet: the prices closest to it (everyone at the top, 0 above).
        Lagrangian.Prices strictest = grid.best(1e-9, 1e-9);
        assertTrue(Lagrangian.choose(new double[] {1, 2, 3}, risk, unmet, strictest, 1) >= 1,
                "never the request that is above every sample of fold 0: " + strictest);
    }

    @Test
    void foldsThatAgreeShowNoLuckAndNoneIsTakenOff() {
        // Both folds above the request 1 on 3 of 10 samples: the pick is the same on both, and carries
        // on the other fold what it carried on its own.
        Lagrangian.Grid grid = Lagrangian.cpu(folds(new double[] {3, 0, 0}, new double[] {3, 0, 0}), 1, 0.25);
        assertEquals(Lagrangian.Optimism.NONE, grid.optimism(0.6, 0.5));
        assertEquals(Lagrangian.Optimism.NONE, grid.optimism(1e-9, 1e-9), "no point holds it on a fold: nothing picked");
    }

    @Test
    void luckBeyondHalfTheTargetIsCappedAndThePointHoldingTheRestIsReportedAsHolding() {
        // At a 30 % target the luck measured across the folds (0.5 / √2 = 0.35) is more than the
        // target: half of it (15 %) is left, which the request 2 holds (0 above). The served risk
        // reported is its pooled risk plus what was taken off, 15 %: the target held.
        List<List<Lagrangian.Case>> cases = folds(new double[] {10, 0, 0}, new double[] {0, 0, 0});
        PriceSet p = PriceSet.refined(cases, 1, 0.25, 0.3, 0.5, true);
        assertEquals(1, Lagrangian.choose(new double[] {1, 2, 3}, new double[] {0.5, 0.05, 0},
                new double[] {0.1, 0.01, 0}, p.request(), 1), p.toString());
        assertEquals(0.15, p.risk(), 1e-12, p.toString());
        assertTrue(p.risk() <= 0.3 && p.unmet() <= 0.5, p.toString());
    }

    @Test
    void foldsTooSmallToMeasureTheLuckOnHoldTheTargetsOnEachFold() {
        // Five containers a fold: the risks are the worse fold's (the request 1 is above every sample
        // of fold 0), and no luck is taken off.
        Lagrangian.Grid grid = Lagrangian.cpu(folds(5, new double[] {10, 0, 0}, new double[] {0, 0, 0}), 1, 0.25);
        assertFalse(grid.luckMeasured());
        assertEquals(Lagrangian.Optimism.NONE, grid.optimism(0.6, 0.5));
        Lagrangian.Prices p = grid.best(0.6, 0.5);
        assertEquals(1, Lagrangian.choose(new double[] {1, 2, 3}, new double[] {0.5, 0.05, 0},
                new double[] {0.1, 0.01, 0}, p, 1), "fold 0 has 100 % above the request 1: " + p);
        assertTrue(Lagrangian.cpu(folds(Lagrangian.MIN_FOLD_CONTAINERS, new double[] {10, 0, 0},
                new double[] {0, 0, 0}), 1, 0.25).luckMeasured());
    }

    /** One-day containers alternating between the folds, above the candidates {1, 2, 3} as given. */
    private static List<List<Lagrangian.Case>> folds(double[] aboveFold0, double[] aboveFold1) {
        return folds(Lagrangian.MIN_FOLD_CONTAINERS, aboveFold0, aboveFold1);
    }

    /**
     * {@code perFold} one-day containers in each fold, above the candidates {1, 2, 3} as given; in
     * every other split all in fold 0, which therefore measures nothing.
     */
    private static List<List<Lagrangian.Case>> folds(int perFold, double[] aboveFold0, double[] aboveFold1) {
        return folds(perFold, aboveFold0, aboveFold1, i -> i % 2);
    }

    /** The same, container {@code i}'s folds in every split (bit s for split s) given by {@code splits}. */
    private static List<List<Lagrangian.Case>> folds(int perFold, double[] aboveFold0, double[] aboveFold1,
                                                     java.util.function.IntUnaryOperator splits) {
        List<List<Lagrangian.Case>> cases = new ArrayList<>();
        for (int i = 0; i < 2 * perFold; i++) {
            int fold = i % 2;
            cases.add(List.of(Lagrangian.Case.of(splits.applyAsInt(i), new double[] {1, 2, 3}, new double[] {0.5, 0.05, 0},
                    new double[] {0.1, 0.01, 0}, fold == 0 ? aboveFold0 : aboveFold1, new double[] {0, 0, 0},
                    new double[] {0, 10, 20}, 10, 10)));
        }
        return cases;
    }

    @Test
    void theLuckIsAveragedOverTheSplitsThatMeasureIt() {
        // Split 0 as in thePicksLuck... (0.5 / √2); split 1 puts half of each of split 0's folds in each
        // of its own, whose folds then agree (no luck); splits 2 on put everyone in fold 0 and
        // measure nothing. The mean over the two that measure it: half of split 0's.
        int perFold = 26; // split 1's folds: 13 pairs each, above MIN_FOLD_CONTAINERS
        List<List<Lagrangian.Case>> cases = folds(perFold, new double[] {10, 0, 0}, new double[] {0, 0, 0},
                i -> i % 2 | (i / 2 % 2) << 1);
        Lagrangian.Grid grid = Lagrangian.cpu(cases, 1, 0.25);
        assertTrue(grid.measured()[0] && grid.measured()[1]);
        for (int s = 2; s < LearnedStrategy.LUCK_SPLITS; s++) {
            assertFalse(grid.measured()[s], "split " + s + " has an empty fold");
        }
        assertEquals(0.5 / Math.sqrt(2) / 2, grid.optimism(0.6, 0.5).risk(), 1e-12);
        // Split 0 alone (the others all in fold 0) measures the whole of it.
        assertEquals(0.5 / Math.sqrt(2), Lagrangian.cpu(folds(perFold, new double[] {10, 0, 0},
                new double[] {0, 0, 0}), 1, 0.25).optimism(0.6, 0.5).risk(), 1e-12);
    }

    @Test
    void everyReplicaSplitsAContainerAlikeAndTheSplitsDifferFromTheFold() {
        // The splits are an int's bits: a 33rd would shift by 32, which Java reads as 0, and
        // silently flip the regressors' fold (bit 0).
        assertTrue(LearnedStrategy.LUCK_SPLITS <= Integer.SIZE, "more splits than an int's bits");
        var keys = new ArrayList<dev.presize.history.SeriesKey>();
        for (int i = 0; i < 400; i++) {
            keys.add(new dev.presize.history.SeriesKey("ns" + i % 7, "pod-" + i, "c" + i % 3));
        }
        for (int s = 1; s < LearnedStrategy.LUCK_SPLITS; s++) {
            int same = 0;
            int ones = 0;
            for (var k : keys) {
                int bits = LearnedStrategy.splits(k);
                assertEquals(LearnedStrategy.fold(k), bits & 1, "bit 0 is the regressors' fold");
                assertEquals(bits, LearnedStrategy.splits(k), "a function of the key alone");
                same += (bits >>> s & 1) == (bits & 1) ? 1 : 0;
                ones += bits >>> s & 1;
            }
            // Independent of split 0 and balanced: 200 ± 3 standard deviations (10) of 400 coin flips.
            assertTrue(same > 170 && same < 230, "split " + s + " agrees with split 0 on " + same + " of 400");
            assertTrue(ones > 170 && ones < 230, "split " + s + " puts " + ones + " of 400 in fold 1");
        }
    }

    @Test
    void theRequestInForceIsKeptWhileItCostsAtMostAQuarterOfTheBestMore() {
        double[] requests = {1, 1.1, 1.5, 2};
        double[] risk = {0.2, 0.1, 0.005, 0};
        double[] noUnmet = {NAN, NAN, NAN, NAN};
        Lagrangian.Prices p = new Lagrangian.Prices(0, 2);
        // Costs 1.4, 1.3, 1.51, 2: the best is 1.1; 1.51 is within 0.25 × 1.1 = 0.275 of 1.3, 2 is not.
        int best = Lagrangian.choose(requests, risk, noUnmet, p, 1);
        assertEquals(1, best);
        assertEquals(2, Lagrangian.keep(requests, risk, noUnmet, p, 1, best, 1.5, 0.25));
        assertEquals(2, Lagrangian.keep(requests, risk, noUnmet, p, 1, best, 1.45, 0.25), "off the ladder: its nearest step");
        assertEquals(0, Lagrangian.keep(requests, risk, noUnmet, p, 1, best, 1, 0.25), "below the best, as cheap");
        assertEquals(-1, Lagrangian.keep(requests, risk, noUnmet, p, 1, best, 2, 0.25), "0.7 more than the best");
        assertEquals(-1, Lagrangian.keep(requests, risk, noUnmet, p, 1, best, NAN, 0.25), "nothing in force");
        assertEquals(-1, Lagrangian.keep(requests, risk, noUnmet, p, 1, best, 0.5, 0.25), "below the ladder");
        assertEquals(-1, Lagrangian.keep(requests, risk, noUnmet, p, 1, best, 3, 0.25), "above the ladder");
    }

    @Test
    void theReplayKeepsEachDaysRequestInForceAsTheServerWould() {
        // One container, two days, candidates 1 and 1.1. At the dearest risk, day 1's best is 1.1 (1
        // carries risk); on day 2 neither does, so 1 is the best, but 1.1 costs at most 0.25 × 1 more:
        // kept, so day 2 is replayed at 1.1, whose slack is 20, not at 1 (slack 10).
        double[] requests = {1, 1.1};
        double[] noUnmet = {NAN, NAN};
        Lagrangian.Case day1 = Lagrangian.Case.of(0, requests, new double[] {0.5, 0}, noUnmet, new double[] {1, 0},
                new double[2], new double[] {10, 20}, 1, 1);
        Lagrangian.Case day2 = Lagrangian.Case.of(0, requests, new double[] {0, 0}, noUnmet, new double[] {0, 0},
                new double[2], new double[] {10, 20}, 1, 1);
        Lagrangian.Grid chained = Lagrangian.memory(List.of(List.of(day1, day2)), 10, 0.25);
        Lagrangian.Grid alone = Lagrangian.memory(List.of(List.of(day1), List.of(day2)), 10, 0.25);
        int at = java.util.Arrays.asList(chained.prices()).indexOf(new Lagrangian.Prices(0, Lagrangian.MEMORY_LAMBDA[79]));
        // The chain's first day seeds it and is not scored (firstScored): slack is day 2's per its usage.
        assertEquals(20, chained.slack()[at], 1e-9, "day 2 kept at 1.1");
        assertEquals((20 + 10) / 2.0, alone.slack()[at], 1e-9, "each day on its own (and scored): day 2 at 1");
        Lagrangian.Grid never = Lagrangian.memory(List.of(List.of(day1, day2)), 10, 0);
        assertEquals(10, never.slack()[at], 1e-9, "--change-cost 0: day 2 at its best");
    }

    @Test
    void aChainsFirstDaySeedsTheRequestInForceButIsNotScored() {
        // Day 1 was exceeded at every candidate, day 2 at none: chained, only day 2 counts; a
        // container with that one day alone is scored on it.
        double[] requests = {1, 2};
        double[] noUnmet = {NAN, NAN};
        Lagrangian.Case day1 = Lagrangian.Case.of(0, requests, new double[] {0.5, 0.1}, noUnmet, new double[] {1, 1},
                new double[2], new double[] {10, 20}, 1, 1);
        Lagrangian.Case day2 = Lagrangian.Case.of(0, requests, new double[] {0.5, 0.1}, noUnmet, new double[] {0, 0},
                new double[2], new double[] {10, 20}, 1, 1);
        Lagrangian.Grid chained = Lagrangian.memory(List.of(List.of(day1, day2)), 1, 0.25);
        Lagrangian.Grid first = Lagrangian.memory(List.of(List.of(day1)), 1, 0.25);
        for (int i = 0; i < chained.prices().length; i++) {
            assertEquals(0, chained.risk()[i], 1e-12, "day 1 not scored");
            assertEquals(1, first.risk()[i], 1e-12, "a single day is scored");
        }
        assertEquals(0, Lagrangian.firstScored(List.of(day1)));
        assertEquals(1, Lagrangian.firstScored(List.of(day1, day2)));
    }

    @Test
    void memorysPriceIsRefinedBetweenGridPointsToMeetTheTargetClosely() {
        // 100 containers, candidates 1 and 2; container i reads a risk of (i + 1) % at 1 and was
        // exceeded there the next day. At a price λ (scale 1) it takes 2 when λ·(i + 1)/100 > 1, so
        // the pooled risk is floor(100 / λ) / 100: a 45 % target needs λ just above 100/46 = 2.17,
        // between the grid's e^0.75 = 2.12 (47 %) and e^1 = 2.72 (36 %).
        double[] requests = {1, 2};
        List<List<Lagrangian.Case>> cases = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            cases.add(List.of(Lagrangian.Case.of(i % 2, requests, new double[] {(i + 1) / 100.0, 0},
                    new double[] {NAN, NAN}, new double[] {1, 0}, new double[2], new double[] {0, 1}, 1, 1)));
        }
        Lagrangian.Grid grid = Lagrangian.memory(cases, 1, 0.25);
        Lagrangian.Prices coarse = grid.best(0.45, NAN);
        assertEquals(Math.exp(1), coarse.lambda(), 1e-9);
        Lagrangian.Prices fine = Lagrangian.refine(cases, 1, 0.25, grid, 0.45, NAN, false);
        assertTrue(fine.lambda() > 100 / 46.0 && fine.lambda() < 100 / 46.0 * 1.01, fine.toString());
        int exceeded = 0;
        for (int i = 0; i < 100; i++) {
            exceeded += Lagrangian.choose(requests, new double[] {(i + 1) / 100.0, 0}, new double[] {NAN, NAN}, fine, 1) == 0
                    ? 1 : 0;
        }
        assertEquals(45, exceeded, "the target met exactly, not with the grid's 9 points to spare");
        // A target the cheapest price already holds is not refined.
        assertEquals(grid.best(1, NAN), Lagrangian.refine(cases, 1, 0.25, grid, 1, NAN, false));
    }
}
