package dev.presize.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerDayOracleTest {

    @Test
    void cpuIsTheSmallestRequestWithAtMostTheTargetShareOfTheDaysSamplesAbove() {
        double[] day = new double[100];
        for (int i = 0; i < 100; i++) {
            day[i] = i + 1;          // 1 .. 100
        }
        // 5 % of 100 samples may be above: 96..100 are, so the request is 95.
        assertEquals(95, PerDayOracle.cpuAtRisk(day, 0.05));
        // Fewer samples than one allowed exceedance: the day's maximum.
        assertEquals(3, PerDayOracle.cpuAtRisk(new double[] {1, 3, 2}, 0.05));
        // Unmeasured samples do not count.
        assertEquals(Double.NaN, PerDayOracle.cpuAtRisk(new double[] {Double.NaN}, 0.05));
        assertEquals(4, PerDayOracle.peak(new double[] {1, Double.NaN, 4, 2}));
    }

    @Test
    void onTheTestSliceTheOracleMeetsTheTargetsWithLessCpuSlackThanEveryBaseline() throws URISyntaxException {
        Path trace = Path.of(PerDayOracleTest.class.getResource("/traces/bitbrains-rnd-slice.csv.gz").toURI());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BacktestCommand.run(List.of("--trace", trace.toString(), "--strategies", "vpa,krr,manual,oracle",
                        "--warmup", "72h", "--history", "168h", "--format", "json", "--cpu-target-risk", "0.05"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        List<JsonObject> rows = out.toString(StandardCharsets.UTF_8).lines()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        JsonObject oracle = rows.get(3);
        assertEquals("oracle", oracle.get("strategy").getAsString());
        // Requests are served rounded up (millicores, MiB), so the realised risk is at most the target.
        assertTrue(oracle.get("cpu_underprovisioned_fraction").getAsDouble() <= 0.05, oracle.toString());
        assertEquals(0.0, oracle.get("mem_exceeded_day_fraction").getAsDouble(), oracle.toString());
        assertEquals(0.0, oracle.get("mem_unmet_peak_ratio").getAsDouble(), oracle.toString());
        for (JsonObject baseline : rows.subList(0, 3)) {
            assertTrue(oracle.get("cpu_slack_ratio").getAsDouble() < baseline.get("cpu_slack_ratio").getAsDouble(),
                    oracle + " vs " + baseline);
            assertTrue(oracle.get("mem_slack_ratio").getAsDouble() < baseline.get("mem_slack_ratio").getAsDouble(),
                    oracle + " vs " + baseline);
        }
    }

    @Test
    void theUnmetTargetSetsTheSmallestRequestWithThatShareOfTheVolumeAboveIt() {
        double[] day = {1, 1, 1, 1, 6, Double.NaN};
        // Σu = 10: 10 % may lie above, so 6 − R = 1.
        assertEquals(5, PerDayOracle.cpuAtUnmet(day, 0.1), 1e-12);
        // 30 %: 6 − R = 3 → R = 3, still above the other samples.
        assertEquals(3, PerDayOracle.cpuAtUnmet(day, 0.3), 1e-12);
        // 85 %: every sample is above: 10 − 5R = 8.5 → R = 0.3.
        assertEquals(0.3, PerDayOracle.cpuAtUnmet(day, 0.85), 1e-12);
        assertTrue(Double.isNaN(PerDayOracle.cpuAtUnmet(new double[] {Double.NaN}, 0.1)));
    }
}
