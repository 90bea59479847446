package dev.presize.backtest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code presize backtest} end to end on the 9-day, 8-VM test slice, with the fast strategies and a
 * 3-day warm-up (6 decisions), plus its argument errors.
 */
class BacktestCommandTest {

    private static final List<String> FIELDS = List.of("strategy", "series", "decisions", "cpu_slack_ratio",
            "cpu_underprovisioned_fraction", "cpu_unmet_ratio", "mem_slack_ratio", "mem_exceeded_day_fraction",
            "changes_per_week", "mem_unmet_peak_ratio", "cpu_decisions", "mem_decisions", "cpu_changes_per_week",
            "mem_changes_per_week");
    private static final List<String> FAST = List.of("--strategies", "vpa,krr,manual", "--warmup", "72h",
            "--history", "168h");

    @TempDir
    static Path dir;

    private static Path trace;
    private static Result json;
    private static Path chart;

    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BacktestCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> args(List<String> extra, String... more) {
        List<String> all = new ArrayList<>(List.of("--trace", trace.toString()));
        all.addAll(extra);
        all.addAll(List.of(more));
        return all;
    }

    @BeforeAll
    static void runOnce() throws URISyntaxException {
        trace = Path.of(BacktestCommandTest.class.getResource("/traces/bitbrains-rnd-slice.csv.gz").toURI());
        chart = dir.resolve("chart.html");
        json = run(args(FAST, "--format", "json", "--chart", chart.toString(),
                "--chart-series", "bitbrains/vm-96/vm,bitbrains/vm-70/vm"));
        assertEquals(0, json.exit(), json.err());
    }

    /**
     * The fields, then the measures' standard errors (ClusteredErrors) as one object, and on the
     * first strategy's line the errors of its differences from each other strategy's, last.
     */
    private static List<String> withErrors(List<String> fields, boolean first) {
        List<String> all = new ArrayList<>(fields);
        all.add("standard_errors");
        if (first) {
            all.add("difference_standard_errors");
        }
        return all;
    }

    @Test
    void jsonIsOneObjectPerStrategyWithExactlyTheIssuesFields() {
        List<JsonObject> rows = json.lines().stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(List.of("vpa", "krr", "manual"), rows.stream().map(r -> r.get("strategy").getAsString()).toList());
        int series = rows.get(0).get("series").getAsInt();
        long decisions = rows.get(0).get("decisions").getAsLong();
        // 8 VMs, decisions at days 3..8 of the slice: 6 per series at most.
        assertTrue(series >= 1 && series <= 8, "series " + series);
        assertTrue(decisions >= series && decisions <= 6L * series, "decisions " + decisions);
        for (JsonObject r : rows) {
            assertEquals(withErrors(FIELDS, r == rows.get(0)), List.copyOf(r.keySet()), r.toString());
            assertEquals(series, r.get("series").getAsInt(), "every strategy is scored on the same series");
            assertEquals(decisions, r.get("decisions").getAsLong(), "...and the same decisions");
            for (String f : List.of("cpu_underprovisioned_fraction", "mem_exceeded_day_fraction")) {
                double v = r.get(f).getAsDouble();
                assertTrue(v >= 0 && v <= 1, f + " = " + v);
            }
            for (String f : List.of("cpu_slack_ratio", "cpu_unmet_ratio", "mem_slack_ratio", "changes_per_week")) {
                double v = r.get(f).getAsDouble();
                assertTrue(v >= 0 && Double.isFinite(v), f + " = " + v);
            }
            assertTrue(r.get("cpu_slack_ratio").getAsDouble() > 0, "requests leave some CPU idle: " + r);
        }
    }

    @Test
    void tableHasTheSameFiguresAsTheJson() {
        Result table = run(args(FAST));
        assertEquals(0, table.exit(), table.err());
        String[] blocks = table.out().split("\n\n");
        List<String[]> rows = blocks[0].lines().map(l -> l.trim().split(" +")).toList();
        // The JSON lines' field names, in their order: one vocabulary for table, JSON and README.
        assertEquals(List.of("strategy", "series", "decisions", "cpu_slack_ratio", "cpu_underprovisioned_fraction",
                "cpu_unmet_ratio", "mem_slack_ratio", "mem_exceeded_day_fraction", "changes_per_week", "mem_unmet_peak_ratio",
                "cpu_decisions", "mem_decisions", "cpu_changes_per_week", "mem_changes_per_week"), List.of(rows.get(0)));
        assertEquals(4, rows.size(), table.out());
        for (int i = 1; i < rows.size(); i++) {
            JsonObject j = JsonParser.parseString(json.lines().get(i - 1)).getAsJsonObject();
            List<String> expected = new ArrayList<>(List.of(j.get("strategy").getAsString(),
                    j.get("series").getAsString(), j.get("decisions").getAsString()));
            // Every field, in the JSON's order: measures to 4 decimals, the per-resource counts as they are.
            for (String f : FIELDS.subList(3, FIELDS.size())) {
                expected.add(f.endsWith("_decisions") ? j.get(f).getAsString()
                        : String.format(java.util.Locale.ROOT, "%.4f", j.get(f).getAsDouble()));
            }
            assertEquals(expected, List.of(rows.get(i)));
        }
        // Under it, the standard errors, as in the JSON's standard_errors, to 4 decimals.
        List<String[]> errors = blocks[1].lines().map(l -> l.trim().split(" +")).toList();
        assertEquals(List.of("standard_error", "cpu_slack_ratio", "cpu_underprovisioned_fraction", "cpu_unmet_ratio",
                "mem_slack_ratio", "mem_exceeded_day_fraction", "mem_unmet_peak_ratio"), List.of(errors.get(0)));
        assertEquals(rows.size(), errors.size(), table.out());
        for (int i = 1; i < errors.size(); i++) {
            JsonObject j = JsonParser.parseString(json.lines().get(i - 1)).getAsJsonObject();
            JsonObject se = j.getAsJsonObject("standard_errors");
            List<String> expected = new ArrayList<>(List.of(j.get("strategy").getAsString()));
            for (String f : List.of(errors.get(0)).subList(1, errors.get(0).length)) {
                expected.add(String.format(java.util.Locale.ROOT, "%.4f", se.get(f).getAsDouble()));
            }
            assertEquals(expected, List.of(errors.get(i)));
        }
        // Then the first strategy's differences from the others, as in its difference_standard_errors.
        List<String> differences = blocks[2].lines().toList();
        assertTrue(differences.get(0).startsWith("standard_error_of_difference "), differences.get(0));
        JsonObject first = JsonParser.parseString(json.lines().get(0)).getAsJsonObject()
                .getAsJsonObject("difference_standard_errors");
        assertEquals(List.of("krr", "manual"), List.copyOf(first.keySet()));
        for (int i = 1; i < differences.size(); i++) {
            String other = List.of("krr", "manual").get(i - 1);
            List<String> expected = new ArrayList<>(List.of("vpa", "-", other));
            for (String f : List.of(errors.get(0)).subList(1, errors.get(0).length)) {
                expected.add(String.format(java.util.Locale.ROOT, "%.4f", first.getAsJsonObject(other).get(f).getAsDouble()));
            }
            assertEquals(expected, List.of(differences.get(i).trim().split(" +")));
        }
    }

    @Test
    void chartShowsTheChosenSeriesWithEveryStrategy() throws Exception {
        String html = Files.readString(chart);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        assertTrue(html.contains("<h2>bitbrains/vm-96/vm</h2>"));
        assertTrue(html.contains("<h2>bitbrains/vm-70/vm</h2>"));
        assertFalse(html.contains("vm-24"), "only the chosen series");
        assertEquals(4, html.split("<svg", -1).length - 1, "CPU and memory panels per series");
        for (String s : List.of("vpa", "krr", "manual")) {
            assertTrue(html.contains("■ " + s + "</span>"), "legend for " + s);
        }
        assertFalse(html.contains("<script"), "self-contained, no scripts");
    }

    @Test
    void chartWithoutChosenSeriesShowsFour() {
        Path file = dir.resolve("default.html");
        Result r = run(args(FAST, "--chart", file.toString()));
        assertEquals(0, r.exit(), r.err());
        try {
            String html = Files.readString(file);
            assertEquals(4, html.split("<h2>", -1).length - 1);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theModelRunsThroughTheSameCommand() {
        Result r = run(args(List.of("--strategies", "model,manual", "--warmup", "72h", "--history", "168h",
                "--format", "json")));
        assertEquals(0, r.exit(), r.err());
        List<JsonObject> rows = r.lines().stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(List.of("model", "manual"), rows.stream().map(o -> o.get("strategy").getAsString()).toList());
        assertTrue(rows.get(0).get("decisions").getAsLong() > 0);
        // The model calibrates: it says how many of its trainings (one per decision) held each target.
        List<String> modelFields = new ArrayList<>(FIELDS);
        modelFields.addAll(List.of("trainings", "trainings_missing_target"));
        assertEquals(withErrors(modelFields, true), List.copyOf(rows.get(0).keySet()));
        assertEquals(withErrors(FIELDS, false), List.copyOf(rows.get(1).keySet()), "a baseline calibrates nothing");
        int trainings = rows.get(0).get("trainings").getAsInt();
        assertTrue(trainings > 0, rows.get(0).toString());
        JsonObject missing = rows.get(0).getAsJsonObject("trainings_missing_target");
        assertEquals(List.of("cpu-target-risk", "cpu-target-unmet", "memory-target-risk"), List.copyOf(missing.keySet()));
        for (String flag : missing.keySet()) {
            int n = missing.get(flag).getAsInt();
            assertTrue(n >= 0 && n <= trainings, flag + ": " + n + " of " + trainings);
        }
    }

    @Test
    void defaultsAndTheEqualsForm() {
        BacktestCommand.Options o = BacktestCommand.parse(List.of("--trace=t.csv"));
        assertEquals(Path.of("t.csv"), o.trace());
        assertEquals(List.of("model", "vpa", "krr", "manual"), o.strategies());
        assertEquals("table", o.format());
        assertNull(o.chart());
        assertEquals(List.of(), o.chartSeries());
        assertEquals(0.05, o.cpuRisk());
        assertEquals(0.01, o.memoryRisk());
        assertEquals(Duration.ofHours(336), o.history());
        assertEquals(Duration.ofHours(168), o.warmup());
        assertEquals(0.02, o.cpuUnmet());
        assertEquals(java.util.Optional.empty(), o.scoreSince());
        assertEquals(java.util.Optional.empty(), o.scoreUntil());

        BacktestCommand.Options set = BacktestCommand.parse(List.of("--trace", "t.csv", "--strategies",
                " krr , model-no-learning", "--cpu-target-risk=0.1", "--memory-target-risk", "0.002", "--history", "720h",
                "--warmup", "48h", "--format", "json", "--cpu-target-unmet", "0.03", "--score-since",
                "2013-08-17T02:00:00+02:00", "--score-until=2013-09-01T00:00:00Z"));
        assertEquals(java.util.Optional.of(java.time.Instant.parse("2013-08-17T00:00:00Z")), set.scoreSince());
        assertEquals(java.util.Optional.of(java.time.Instant.parse("2013-09-01T00:00:00Z")), set.scoreUntil());
        assertEquals(List.of("krr", "model-no-learning"), set.strategies());
        assertEquals(0.1, set.cpuRisk());
        assertEquals(0.002, set.memoryRisk());
        assertEquals(Duration.ofHours(720), set.history());
        assertEquals(Duration.ofHours(48), set.warmup());
        assertEquals("json", set.format());
        assertEquals(0.03, set.cpuUnmet());
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(List.of(), "--trace FILE is required"),
                Arguments.of(List.of("--trace", "t.csv", "--strategies", "vpa,bogus"),
                        "unknown strategy \"bogus\"; known: model, model-no-learning, vpa, krr, manual"),
                Arguments.of(List.of("--trace", "t.csv", "--strategies", "vpa,vpa"), "strategy \"vpa\" listed twice"),
                Arguments.of(List.of("--trace", "t.csv", "--strategies", ""), "--strategies needs at least one of model, model-no-learning"),
                Arguments.of(List.of("--trace", "t.csv", "--format", "xml"), "--format=xml: must be table or json"),
                Arguments.of(List.of("--trace", "t.csv", "--cpu-target-risk", "abc"),
                        "--cpu-target-risk=abc: must be a fraction between 0 and 1 (exclusive), e.g. 0.05"),
                Arguments.of(List.of("--trace", "t.csv", "--cpu-target-risk", "0"), "--cpu-target-risk=0: must be a fraction"),
                Arguments.of(List.of("--trace", "t.csv", "--cpu-target-risk", "1"), "--cpu-target-risk=1: must be a fraction"),
                Arguments.of(List.of("--trace", "t.csv", "--cpu-target-risk", "NaN"), "--cpu-target-risk=NaN: must be a fraction"),
                Arguments.of(List.of("--trace", "t.csv", "--memory-target-risk", "1.5"),
                        "--memory-target-risk=1.5: must be a fraction between 0 and 1 (exclusive), e.g. 0.05"),
                Arguments.of(List.of("--trace", "t.csv", "--cpu-target-unmet", "0"),
                        "--cpu-target-unmet=0: must be a fraction between 0 and 1 (exclusive), e.g. 0.05"),
                Arguments.of(List.of("--trace", "t.csv", "--cpu-target-unmet", "x"),
                        "--cpu-target-unmet=x: must be a fraction between 0 and 1 (exclusive), e.g. 0.05"),
                Arguments.of(List.of("--trace", "t.csv", "--history", "12h"),
                        "--history=12h: must be whole hours, at least 24h (e.g. 336h)"),
                Arguments.of(List.of("--trace", "t.csv", "--history", "36h30m"), "--history=36h30m: must be whole hours"),
                Arguments.of(List.of("--trace", "t.csv", "--warmup", "abc"), "--warmup=abc: must be whole hours"),
                Arguments.of(List.of("--trace", "t.csv", "--warmup", "-72h"), "--warmup=-72h: must be whole hours"),
                Arguments.of(List.of("--trace", "t.csv", "--score-since", "2013-08-17"),
                        "--score-since=2013-08-17: must be an RFC 3339 time with its offset, e.g. 2024-05-01T00:00:00Z"),
                Arguments.of(List.of("--trace", "t.csv", "--score-until", "2013-08-17T00:00:00"),
                        "--score-until=2013-08-17T00:00:00: must be an RFC 3339 time with its offset"),
                Arguments.of(List.of("--trace", "t.csv", "--score-since", "2013-09-01T00:00:00Z", "--score-until",
                        "2013-09-01T02:00:00+02:00"), "--score-since 2013-09-01T00:00:00Z must be before --score-until"
                        + " 2013-09-01T00:00:00Z"),
                Arguments.of(List.of("--trace", "t.csv", "--bogus", "1"), "unknown flag: --bogus"),
                Arguments.of(List.of("t.csv"), "unexpected argument \"t.csv\""),
                Arguments.of(List.of("--trace"), "flag needs a value: --trace"),
                Arguments.of(List.of("--trace", "t.csv", "--format", "json", "--format", "table"),
                        "flag given twice: --format"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void badArgumentsAreUsageErrors(List<String> arguments, String message) {
        Result r = run(arguments);
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("presize backtest: " + message), r.err());
        assertEquals(2, r.err().lines().count(), "the mistake and where to look, no usage dump: " + r.err());
        assertTrue(r.err().contains("Run with --help for the flags."), r.err());
    }

    @Test
    void helpPrintsTheBacktestsFlagsAndSucceeds() {
        Result r = run(List.of("--help"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("Usage: java -jar presize.jar backtest --trace FILE [flags]"), r.out());
        for (dev.presize.config.Flag<?> f : dev.presize.config.BacktestFlags.TABLE.flags()) {
            assertTrue(r.out().contains("--" + f.name() + " "), f.name());
        }
        for (String strategy : BacktestCommand.knownStrategies()) {
            assertTrue(r.out().contains(strategy), "--help names strategy " + strategy);
        }
        assertEquals(r.out(), run(List.of("--trace", "t.csv", "-h")).out(), "-h anywhere");
    }

    @Test
    void aMissingTraceIsNamed() {
        Path missing = dir.resolve("nope.csv.gz");
        Result r = run(List.of("--trace", missing.toString()));
        assertEquals(1, r.exit());
        assertEquals("presize backtest: no such trace file: " + missing + System.lineSeparator(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMalformedTraceNamesItsLine() throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "timestamp,namespace,workload,container,cpu_cores,memory_bytes,cpu_request_cores,"
                + "memory_request_bytes\n1374883328,ns,w,c,1.5,,1,1\n1374883628,ns,w,c,lots,,1,1\n");
        Result r = run(List.of("--trace", bad.toString(), "--strategies", "vpa"));
        assertEquals(1, r.exit());
        assertTrue(r.err().startsWith("presize backtest: "), r.err());
        assertTrue(r.err().contains(bad.toString()) && r.err().contains("3") && r.err().contains("lots"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aTraceWithoutSamplesIsAnErrorNotAStackTrace() throws Exception {
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "timestamp,namespace,workload,container,cpu_cores,memory_bytes,cpu_request_cores,"
                + "memory_request_bytes\n");
        Result r = run(List.of("--trace", empty.toString(), "--strategies", "vpa"));
        assertEquals(1, r.exit());
        assertEquals("presize backtest: " + empty + ": the trace has no samples" + System.lineSeparator(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aWarmupReachingPastTheTraceIsAnErrorNotAScorecardOfZeros() {
        // The slice spans 2013-07-27T00:00Z to 2013-08-04T23:5xZ: a 216 h warm-up leaves no decision.
        Result r = run(args(List.of("--strategies", "vpa", "--warmup", "216h")));
        assertEquals(1, r.exit(), r.out());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("presize backtest: no decision to evaluate: the first decision, after the"
                + " 216h0m0s warm-up, would be at 2013-08-05T00:00:00Z, after the trace's last sample at"
                + " 2013-08-04T23:5"), r.err());
        assertTrue(r.err().contains("use a shorter --warmup"), r.err());
    }

    @Test
    void noSeriesAnsweredByEveryStrategyIsAnErrorNotAScorecardOfZeros() throws Exception {
        // Five days of hourly samples: at the decisions (days 3 and 4) there are 72 and 96 samples before,
        // fewer than the 100 KRR needs, so no (series, decision) has an answer from every strategy.
        StringBuilder csv = new StringBuilder("timestamp,namespace,workload,container,cpu_cores,memory_bytes,"
                + "cpu_request_cores,memory_request_bytes\n");
        for (int h = 0; h < 5 * 24; h++) {
            csv.append(1374883200L + h * 3600L).append(",ns,w,c,0.5,1000000000,1,2000000000\n");
        }
        Path hourly = dir.resolve("hourly.csv");
        Files.writeString(hourly, csv);
        Result r = run(List.of("--trace", hourly.toString(), "--strategies", "vpa,krr", "--warmup", "72h",
                "--format", "json"));
        assertEquals(1, r.exit(), r.out());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("presize backtest: nothing to score: at none of the 2 decisions did every"
                + " strategy (vpa, krr) answer for a series' CPU or memory"), r.err());
        // With VPA alone the same trace scores.
        Result vpa = run(List.of("--trace", hourly.toString(), "--strategies", "vpa", "--warmup", "72h",
                "--format", "json"));
        assertEquals(0, vpa.exit(), vpa.err());
        assertTrue(vpa.out().contains("\"series\":1,\"decisions\":2,"), vpa.out());
    }

    @Test
    void anUnwritableChartIsRefusedBeforeAnyWorkWithTheReason() {
        Path inMissingDir = dir.resolve("no-such-dir").resolve("chart.html");
        // A trace that does not exist: had the backtest started, the error would be about it.
        Result r = run(List.of("--trace", dir.resolve("no-such-trace.csv").toString(), "--chart", inMissingDir.toString()));
        assertEquals(2, r.exit());
        assertEquals("presize backtest: --chart " + inMissingDir + ": no such directory " + inMissingDir.getParent() + "\n",
                r.err());
        Result isDir = run(List.of("--trace", dir.resolve("no-such-trace.csv").toString(), "--chart", dir.toString()));
        assertEquals("presize backtest: --chart " + dir + ": is a directory\n", isDir.err());
    }

    /** The test slice with one usage column emptied on every row (4 = cpu_cores, 5 = memory_bytes). */
    private static Path sliceWithout(int column, String name) throws IOException {
        return slice(name, f -> {
            if (f[column == 4 ? 5 : 4].isEmpty()) {
                return false; // a row with neither measure is malformed; the slice has rows without memory
            }
            f[column] = "";
            return true;
        });
    }

    /**
     * The slice with its provisioned requests (columns 7 and 8) empty in every row but those of
     * workload {@code keep} (none: null), as public usage traces often are.
     */
    private static Path sliceWithoutRequests(String keep, String name) throws IOException {
        return slice(name, f -> {
            if (!f[2].equals(keep)) {
                f[6] = "";
                f[7] = "";
            }
            return true;
        });
    }

    /** The test slice's rows, each rewritten in place by {@code row} and kept when it returns true. */
    private static Path slice(String name, java.util.function.Predicate<String[]> row) throws IOException {
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(trace))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> lines = text.lines().toList();
        StringBuilder out = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (row.test(f)) {
                out.append(String.join(",", f)).append('\n');
            }
        }
        Path file = dir.resolve(name);
        Files.writeString(file, out);
        return file;
    }

    @Test
    void theDefaultStrategiesLeaveManualOutOnATraceWithoutRequests() throws IOException {
        Path noRequests = sliceWithoutRequests(null, "no-requests.csv");
        Result r = run(List.of("--trace", noRequests.toString(), "--warmup", "72h", "--history", "168h",
                "--format", "json"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("presize backtest: " + noRequests + " has no provisioned requests (cpu_request_cores"
                + " and memory_request_bytes are empty in every row), so manual has nothing to answer; it is left out"
                + " of the default strategies"), r.err());
        assertEquals(List.of("model", "vpa", "krr"),
                rows(r).stream().map(o -> o.get("strategy").getAsString()).toList());
        // Until now every decision went unscored, since manual answered none of them.
        assertTrue(rows(r).get(0).get("decisions").getAsLong() > 0, r.out());
    }

    @Test
    void manualAskedForOnATraceWithoutRequestsIsAnErrorThatSaysWhy() throws IOException {
        Path noRequests = sliceWithoutRequests(null, "no-requests-asked.csv");
        Result r = run(List.of("--trace", noRequests.toString(), "--strategies", "vpa,manual", "--warmup", "72h",
                "--history", "168h", "--format", "json"));
        assertEquals(1, r.exit(), r.out());
        assertEquals("", r.out());
        assertEquals("presize backtest: " + noRequests + " has no provisioned requests (cpu_request_cores and"
                + " memory_request_bytes are empty in every row), so manual has nothing to answer: leave it out of"
                + " --strategies" + System.lineSeparator(), r.err());
        // A trace with requests for one series still scores manual, on that series.
        Result one = run(List.of("--trace", sliceWithoutRequests("vm-96", "one-request.csv").toString(),
                "--strategies", "vpa,manual", "--warmup", "72h", "--history", "168h", "--format", "json"));
        assertEquals(0, one.exit(), one.err());
        assertEquals(List.of(1L, 1L), rows(one).stream().map(o -> o.get("series").getAsLong()).toList(), one.out());
    }

    private static List<JsonObject> rows(Result r) {
        return r.lines().stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    @Test
    void aCpuOnlyTraceIsScoredOnCpuAsTheFullTraceIs() throws IOException {
        Path cpuOnly = sliceWithout(5, "cpu-only.csv");
        // VPA alone: this was "nothing to score" while strategies needed both resources.
        Result vpa = run(List.of("--trace", cpuOnly.toString(), "--strategies", "vpa", "--warmup", "72h",
                "--history", "168h", "--format", "json"));
        assertEquals(0, vpa.exit(), vpa.err());
        Result r = run(List.of("--trace", cpuOnly.toString(), "--strategies", "vpa,krr,manual", "--warmup", "72h",
                "--history", "168h", "--format", "json"));
        assertEquals(0, r.exit(), r.err());
        List<JsonObject> full = rows(json);
        List<JsonObject> cpu = rows(r);
        assertEquals(3, cpu.size());
        for (int i = 0; i < cpu.size(); i++) {
            JsonObject c = cpu.get(i);
            JsonObject f = full.get(i);
            assertEquals(withErrors(FIELDS, i == 0), List.copyOf(c.keySet()), c.toString());
            assertEquals(0, c.get("mem_decisions").getAsLong(), c.toString());
            // No memory was scored, so there is no memory error to give, not a perfect-looking 0.
            assertEquals(List.of("cpu_slack_ratio", "cpu_underprovisioned_fraction", "cpu_unmet_ratio"),
                    List.copyOf(c.getAsJsonObject("standard_errors").keySet()), c.toString());
            assertEquals(c.get("decisions"), c.get("cpu_decisions"), c.toString());
            assertEquals(0.0, c.get("mem_slack_ratio").getAsDouble());
            // The baselines size CPU from CPU samples alone: the same CPU answers as on the full slice,
            // scored on the same (series, decision) pairs, give the same CPU measures.
            assertEquals(f.get("cpu_decisions"), c.get("cpu_decisions"), c + " vs " + f);
            for (String m : List.of("cpu_slack_ratio", "cpu_underprovisioned_fraction", "cpu_unmet_ratio")) {
                assertEquals(f.get(m).getAsDouble(), c.get(m).getAsDouble(), 1e-12, m + ": " + c + " vs " + f);
            }
        }
        assertEquals(rows(vpa).get(0).get("cpu_slack_ratio"), cpu.get(0).get("cpu_slack_ratio"));
        // The table shows "-" for memory, which no decision was scored on, rather than a perfect 0;
        // the chart draws the requests on the CPU panels and none on the memory panels.
        Path cpuChart = dir.resolve("cpu-only.html");
        Result table = run(List.of("--trace", cpuOnly.toString(), "--strategies", "vpa", "--warmup", "72h",
                "--history", "168h", "--chart", cpuChart.toString()));
        String html = Files.readString(cpuChart);
        for (String panel : html.split("<svg class=\"panel ")) {
            if (panel.startsWith("cpu")) {
                assertTrue(panel.contains("data-strategy=\"vpa\""), panel);
            } else if (panel.startsWith("memory")) {
                assertFalse(panel.contains("data-strategy="), panel);
            }
        }
        assertTrue(html.contains("<svg class=\"panel memory"), "the memory panels are still drawn, with usage only");
        assertEquals(0, table.exit(), table.err());
        List<String> cells = List.of(table.lines().get(1).trim().split(" +"));
        assertEquals(List.of("-", "-"), cells.subList(6, 8), table.out());
    }

    @Test
    void aMemoryOnlyTraceIsScoredOnMemoryAsTheFullTraceIs() throws IOException {
        Path memoryOnly = sliceWithout(4, "memory-only.csv");
        Result r = run(List.of("--trace", memoryOnly.toString(), "--strategies", "vpa,krr,manual", "--warmup", "72h",
                "--history", "168h", "--format", "json"));
        assertEquals(0, r.exit(), r.err());
        List<JsonObject> full = rows(json);
        List<JsonObject> memory = rows(r);
        for (int i = 0; i < memory.size(); i++) {
            JsonObject m = memory.get(i);
            JsonObject f = full.get(i);
            assertEquals(0, m.get("cpu_decisions").getAsLong(), m.toString());
            assertEquals(f.get("mem_decisions"), m.get("mem_decisions"), m + " vs " + f);
            for (String k : List.of("mem_slack_ratio", "mem_exceeded_day_fraction", "mem_unmet_peak_ratio")) {
                assertEquals(f.get(k).getAsDouble(), m.get(k).getAsDouble(), 1e-12, k + ": " + m + " vs " + f);
            }
        }
    }

    @Test
    void eachResourceIsScoredWhereEveryStrategyAnsweredIt() {
        // vm-24 of the slice has memory on 92 of its 2299 samples: fewer than the 100 KRR needs, so it
        // is scored on CPU (every strategy answered CPU) but not on memory.
        JsonObject vpa = rows(json).get(0);
        assertEquals(8, vpa.get("series").getAsInt(), vpa.toString());
        assertTrue(vpa.get("mem_decisions").getAsLong() < vpa.get("cpu_decisions").getAsLong(), vpa.toString());
        assertEquals(vpa.get("decisions"), vpa.get("cpu_decisions"), vpa.toString());
    }
}
