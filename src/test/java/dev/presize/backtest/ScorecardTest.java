package dev.presize.backtest;

import com.google.gson.Gson;
import dev.presize.model.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each metric of issue 3 on cases small enough to compute by hand. */
class ScorecardTest {

    private static final double NAN = Double.NaN;
    private static final double EPS = 1e-12;

    private static Scorecard day(double[] cpu, double[] mem, Resources request) {
        Scorecard s = new Scorecard();
        s.add(cpu, mem, 0, cpu.length, request);
        return s;
    }

    @Test
    void cpuMetrics() {
        // u = 1, 2, 3, 4 under R = 2.5: slack 1.5 + 0.5 = 2, unmet 0.5 + 1.5 = 2, Σu = 10; 2 of 4 above.
        Scorecard s = day(new double[] {1, 2, 3, 4}, new double[] {NAN, NAN, NAN, NAN}, new Resources(2.5, 1));
        assertEquals(0.2, s.cpuSlackRatio(), EPS);
        assertEquals(0.2, s.cpuUnmetRatio(), EPS);
        assertEquals(0.5, s.cpuUnderprovisionedFraction(), EPS);
    }

    @Test
    void usageEqualToTheRequestIsNotUnderprovisioned() {
        Scorecard s = day(new double[] {2.5, 2.5}, new double[] {1, 1}, new Resources(2.5, 1));
        assertEquals(0, s.cpuUnderprovisionedFraction());
        assertEquals(0, s.cpuSlackRatio());
        assertEquals(0, s.cpuUnmetRatio());
        assertEquals(0, s.memExceededDayFraction(), "a peak equal to the request does not exceed it");
    }

    @Test
    void memorySlackSkipsMissingSamples() {
        // m = 1, (missing), 3 under R = 2: slack (2 − 1) + 0 = 1 over Σm = 4.
        Scorecard s = day(new double[] {1, 1, 1}, new double[] {1, NAN, 3}, new Resources(1, 2));
        assertEquals(0.25, s.memSlackRatio(), EPS);
        assertEquals(1.0, s.memExceededDayFraction(), EPS, "the day's peak 3 exceeds 2");
    }

    @Test
    void memoryExceededIsCountedPerSeriesDayWithMemory() {
        Scorecard s = new Scorecard();
        double[] cpu = {1, 1, 1, 1, 1, 1};
        double[] mem = {1, 5, 1, 1, NAN, NAN};
        Resources r = new Resources(1, 2);
        s.add(cpu, mem, 0, 2, r); // peak 5 > 2: exceeded
        s.add(cpu, mem, 2, 4, r); // peak 1: not exceeded
        s.add(cpu, mem, 4, 6, r); // no memory measured: not a memory day at all
        assertEquals(0.5, s.memExceededDayFraction(), EPS);
        assertEquals(3, s.decisions);
    }

    @Test
    void onlyTheSamplesOfTheDayAreScored() {
        Scorecard s = new Scorecard();
        s.add(new double[] {100, 1, 3, 100}, new double[] {100, 1, 3, 100}, 1, 3, new Resources(2, 2));
        // u = 1, 3 under 2: slack 1, unmet 1, Σu = 4.
        assertEquals(0.25, s.cpuSlackRatio(), EPS);
        assertEquals(0.25, s.cpuUnmetRatio(), EPS);
        assertEquals(0.5, s.cpuUnderprovisionedFraction(), EPS);
        assertEquals(0.25, s.memSlackRatio(), EPS);
    }

    @Test
    void changesAreMovesOfMoreThanTenPercentPerSeriesWeek() {
        Scorecard s = new Scorecard();
        double[] one = {1};
        List<Resources> decisions = List.of(
                new Resources(1.00, 100),  // first decision: nothing to move from
                new Resources(1.09, 100),  // +9 %: not a change
                new Resources(1.21, 100),  // +11 %: a change
                new Resources(1.21, 89),   // memory −11 %: a change
                new Resources(1.21, 89),
                new Resources(1.11, 89),   // −8.3 %: not a change
                new Resources(1.11, 89));
        Resources previous = null;
        for (Resources r : decisions) {
            s.add(one, one, 0, 1, r);
            s.change(previous, r);
            previous = r;
        }
        assertEquals(2, s.changes);
        assertEquals(1, s.cpuChanges, "the +11 % CPU move");
        assertEquals(1, s.memChanges, "the −11 % memory move");
        assertEquals(7, s.decisions);
        assertEquals(2.0, s.changesPerWeek(), EPS, "2 changes in 7 series-decisions = 1 series-week");
        for (int i = 0; i < 7; i++) {
            s.add(one, one, 0, 1, previous);
            s.change(previous, previous);
        }
        assertEquals(1.0, s.changesPerWeek(), EPS, "2 changes in 2 series-weeks");
    }

    @Test
    void aMoveOfExactlyTenPercentIsNotAChange() {
        // As served: 1000m → 1100m and 100Mi → 110Mi are +10 % exactly, which is not "more than 10 %",
        // though 1.1 − 1.0 is 0.10000000000000009 in binary floating point. 1000m → 1101m is.
        Scorecard s = new Scorecard();
        double mib = 1024 * 1024;
        s.change(new Resources(1.0, 100 * mib), new Resources(1.1, 100 * mib));
        s.change(new Resources(1.0, 100 * mib), new Resources(1.0, 110 * mib));
        s.change(new Resources(0.3, 300 * mib), new Resources(0.33, 270 * mib));
        assertEquals(0, s.changes);
        s.change(new Resources(1.0, 100 * mib), new Resources(1.101, 100 * mib));
        assertEquals(1, s.changes);
    }

    @Test
    void theMemoryAboveTheRequestsTellsADeepExceedanceFromAShallowOne() {
        // Both days exceeded, so the count of days cannot tell them apart; the part of the peaks
        // above the requests can: 10 of 100 bytes against 70.
        Scorecard shallow = day(new double[] {1, 1}, new double[] {50, 100}, new Resources(2, 90));
        Scorecard deep = day(new double[] {1, 1}, new double[] {50, 100}, new Resources(2, 30));
        assertEquals(shallow.memExceededDayFraction(), deep.memExceededDayFraction(), EPS);
        assertEquals(0.1, shallow.memUnmetPeakRatio(), EPS);
        assertEquals(0.7, deep.memUnmetPeakRatio(), EPS);
    }

    @Test
    void mergeAddsUp() {
        Scorecard a = day(new double[] {1, 4}, new double[] {1, 4}, new Resources(2, 2));
        Scorecard b = day(new double[] {3}, new double[] {NAN}, new Resources(2, 2));
        a.merge(b);
        // u = 1, 4, 3 under 2: slack 1, unmet 2 + 1 = 3, Σu = 8, 2 of 3 above.
        assertEquals(1 / 8.0, a.cpuSlackRatio(), EPS);
        assertEquals(3 / 8.0, a.cpuUnmetRatio(), EPS);
        assertEquals(2 / 3.0, a.cpuUnderprovisionedFraction(), EPS);
        assertEquals(1 / 5.0, a.memSlackRatio(), EPS);
        assertEquals(0.5, a.memUnmetPeakRatio(), EPS); // a's peak 4 under 2, b's day no memory: (4 − 2) / 4
        assertEquals(1.0, a.memExceededDayFraction(), EPS, "b's day had no memory");
        assertEquals(2, a.decisions);
    }

    @Test
    void fieldsAreExactlyTheIssuesInItsOrder() {
        Scorecard s = day(new double[] {1, 2, 3, 4}, new double[] {1, NAN, 3, 4}, new Resources(2.5, 2));
        Map<String, Object> f = s.fields("vpa", 3);
        assertEquals(List.of("strategy", "series", "decisions", "cpu_slack_ratio", "cpu_underprovisioned_fraction",
                "cpu_unmet_ratio", "mem_slack_ratio", "mem_exceeded_day_fraction", "changes_per_week",
                "mem_unmet_peak_ratio", "cpu_decisions", "mem_decisions", "cpu_changes_per_week", "mem_changes_per_week"),
                List.copyOf(f.keySet()));
        assertEquals("vpa", f.get("strategy"));
        assertEquals(3, f.get("series"));
        assertEquals(1L, f.get("decisions"));
        assertEquals(0.2, (double) f.get("cpu_slack_ratio"), EPS);
        assertEquals(0.5, (double) f.get("cpu_underprovisioned_fraction"), EPS);
        assertEquals(0.2, (double) f.get("cpu_unmet_ratio"), EPS);
        assertEquals(1 / 8.0, (double) f.get("mem_slack_ratio"), EPS); // (2 − 1) / (1 + 3 + 4)
        assertEquals(1.0, (double) f.get("mem_exceeded_day_fraction"), EPS);
        assertEquals(0.0, (double) f.get("changes_per_week"), EPS);
        assertEquals(0.5, (double) f.get("mem_unmet_peak_ratio"), EPS); // the day's peak 4 under 2: (4 − 2) / 4
        assertEquals(1L, f.get("cpu_decisions"));
        assertEquals(1L, f.get("mem_decisions"));
    }

    @Test
    void aResourceNotScoredAtADecisionCountsNothing() {
        Scorecard s = new Scorecard();
        double[] cpu = {1, 3};
        double[] mem = {10, 30};
        // CPU only (memory not recommended by every strategy): the memory samples are not read.
        s.add(cpu, mem, 0, 2, new Resources(2, Double.NaN), true, false);
        assertEquals(0.25, s.cpuSlackRatio(), EPS);
        assertEquals(0.5, s.cpuUnderprovisionedFraction(), EPS);
        assertEquals(0, s.memUsage);
        assertEquals(0, s.memDays);
        // Memory only: the CPU samples are not read.
        s.add(cpu, mem, 0, 2, new Resources(Double.NaN, 20), false, true);
        assertEquals(2, s.cpuSamples);
        assertEquals(0.25, s.memSlackRatio(), EPS); // (20 − 10) / 40
        assertEquals(1.0, s.memExceededDayFraction(), EPS);
        assertEquals(List.of(2L, 1L, 1L), List.of(s.decisions, s.cpuDecisions, s.memDecisions));
        // Scored for memory (every strategy answered it) but no memory measured that day: adds nothing.
        s.add(cpu, new double[] {NAN, NAN}, 0, 2, new Resources(2, 20), true, true);
        assertEquals(List.of(3L, 2L, 1L), List.of(s.decisions, s.cpuDecisions, s.memDecisions));
    }

    @Test
    void aSideNotRecommendedAtEitherDecisionIsNoChange() {
        Scorecard s = new Scorecard();
        s.change(new Resources(1.0, Double.NaN), new Resources(1.0, 100));
        s.change(new Resources(Double.NaN, 100), new Resources(5.0, 100));
        assertEquals(0, s.changes);
    }

    @Test
    void anEmptyScorecardIsAllZeroAndStillValidJson() {
        Map<String, Object> f = new Scorecard().fields("manual", 0);
        // JSON has no NaN: Gson refuses it, so 0/0 must not reach the output.
        assertEquals("{\"strategy\":\"manual\",\"series\":0,\"decisions\":0,\"cpu_slack_ratio\":0.0,"
                + "\"cpu_underprovisioned_fraction\":0.0,\"cpu_unmet_ratio\":0.0,\"mem_slack_ratio\":0.0,"
                + "\"mem_exceeded_day_fraction\":0.0,\"changes_per_week\":0.0,\"mem_unmet_peak_ratio\":0.0,\"cpu_decisions\":0,"
                + "\"mem_decisions\":0,\"cpu_changes_per_week\":0.0,\"mem_changes_per_week\":0.0}", new Gson().toJson(f));
    }
}
