package dev.presize.backtest;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.presize.history.ContainerSeries;
import dev.presize.history.SeriesKey;
import dev.presize.history.TraceReader;
import dev.presize.history.prometheus.OpenMetricsWriter;
import dev.presize.history.prometheus.PrometheusProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code presize export} against a real Prometheus: three days of six VMs of the test slice
 * (src/test/resources/traces/README.md) written as cAdvisor and kube-state-metrics series, loaded
 * with promtool, exported, read back with {@link TraceReader}, and compared sample by sample with
 * what was loaded; then {@code backtest --trace} on the exported file.
 *
 * <p>The placement covers each attribution path: two pods of a Deployment whose ReplicaSet hash has
 * five characters (so the pod-name rule alone would get {@code web-5f7c9}; kube-state-metrics'
 * ReplicaSet → Deployment chain gets {@code web}), a StatefulSet pod without kube-state-metrics
 * series (pod-name rule), a bare pod ({@code owner_kind="<none>"}: its own name, where the rule
 * would cut the {@code -2}), and a CronJob's pod through Job → CronJob, with CPU only (no memory
 * series at all) and no requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportRealPrometheusTest {

    /** 2013-07-27T00:00Z, three days before the slice's month-boundary hole. */
    private static final long START = 1374883200;
    private static final long END = START + 3 * 86400;
    private static final long GRID = 300;

    private record Placement(String vm, String namespace, String pod, String container, String workload, boolean requests,
                             boolean cpuOnly) {
    }

    private static final List<Placement> PLACEMENT = List.of(
            new Placement("vm-96", "shop", "web-5f7c9-x2x8q", "app", "web", true, false),
            new Placement("vm-133", "shop", "web-5f7c9-q7k2m", "app", "web", true, false),
            new Placement("vm-70", "shop", "web-5f7c9-x2x8q", "envoy", "web", true, false),
            new Placement("vm-80", "data", "kafka-0", "kafka", "kafka", true, false),
            new Placement("vm-24", "data", "debug-shell-2", "shell", "debug-shell-2", false, false),
            new Placement("vm-99", "batch", "backup-28177320-7xk2p", "main", "backup", false, true));

    /** What the export must produce: per series, sample start → cpu, memory, cpu request, memory request. */
    private final Map<SeriesKey, TreeMap<Long, double[]>> expected = new TreeMap<>(
            java.util.Comparator.comparing(SeriesKey::toString));
    private PrometheusProcess prometheus;
    private Path dir;
    private Path exported;
    private Run export;

    record Run(int exit, String out, String err) {
    }

    static Run export(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ExportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    void loadExport(@TempDir Path dir) throws Exception {
        this.dir = dir;
        Map<String, ContainerSeries> byVm = new LinkedHashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/traces/bitbrains-rnd-slice.csv.gz")) {
            for (ContainerSeries s : new TraceReader().read(in, "bitbrains-rnd-slice.csv.gz")) {
                byVm.put(s.workload(), s.between(START, END));
            }
        }
        OpenMetricsWriter writer = new OpenMetricsWriter();
        for (Placement p : PLACEMENT) {
            ContainerSeries raw = byVm.get(p.vm());
            double[] memory = raw.memoryBytes().clone();
            if (p.cpuOnly()) {
                Arrays.fill(memory, Double.NaN);
            }
            ContainerSeries placed = new ContainerSeries(p.namespace(), p.pod(), p.container(), raw.timestamps(), raw.cpuCores(),
                    memory, raw.cpuRequestCores(), raw.memoryRequestBytes());
            writer.add(placed, p.pod());
            // The grid the writer puts each sample on; index i is still sample i of the trace.
            long[] grid = OpenMetricsWriter.onGrid(placed).timestamps();
            TreeMap<Long, double[]> requestsByGrid = new TreeMap<>();
            TreeMap<Long, double[]> samples = expected.computeIfAbsent(new SeriesKey(p.namespace(), p.workload(), p.container()),
                    k -> new TreeMap<>());
            for (int i = 0; i < grid.length; i++) {
                double[] requests = p.requests() ? raw.requestsAt(raw.timestamps()[i]) : new double[] {Double.NaN, Double.NaN};
                requestsByGrid.put(grid[i], requests);
                double[] row = samples.computeIfAbsent(grid[i], t -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
                double[] values = {raw.cpuCores()[i], memory[i], requests[0], requests[1]};
                for (int k = 0; k < 4; k++) {
                    if (!(row[k] >= values[k])) {
                        row[k] = Double.isNaN(values[k]) ? row[k] : values[k]; // pooled: the largest over the pods
                    }
                }
            }
            if (p.requests()) {
                for (String[] resource : new String[][] {{"cpu", "core"}, {"memory", "byte"}}) {
                    int k = resource[0].equals("cpu") ? 0 : 1;
                    writer.gauge("kube_pod_container_resource_requests", START, END, t -> {
                        Map.Entry<Long, double[]> at = requestsByGrid.floorEntry(t);
                        return at == null || t >= at.getKey() + GRID ? Double.NaN : at.getValue()[k];
                    }, "container", p.container(), "job", "kube-state-metrics", "namespace", p.namespace(), "node", "node-3",
                            "pod", p.pod(), "resource", resource[0], "unit", resource[1]);
                }
            }
        }
        owner(writer, "kube_pod_owner", "shop", "pod", "web-5f7c9-x2x8q", "ReplicaSet", "web-5f7c9");
        owner(writer, "kube_pod_owner", "shop", "pod", "web-5f7c9-q7k2m", "ReplicaSet", "web-5f7c9");
        owner(writer, "kube_replicaset_owner", "shop", "replicaset", "web-5f7c9", "Deployment", "web");
        owner(writer, "kube_pod_owner", "data", "pod", "debug-shell-2", "<none>", "<none>");
        owner(writer, "kube_pod_owner", "batch", "pod", "backup-28177320-7xk2p", "Job", "backup-28177320");
        owner(writer, "kube_job_owner", "batch", "job_name", "backup-28177320", "CronJob", "backup");
        prometheus = PrometheusProcess.start(writer, dir.resolve("prometheus"));

        exported = dir.resolve("my.csv.gz");
        export = export(List.of("--prometheus-url", prometheus.url().toString(), "--output", exported.toString(),
                "--end", "2013-07-30T00:00:00Z", "--history", "72h"));
    }

    private static void owner(OpenMetricsWriter writer, String metric, String namespace, String nameLabel, String name,
                              String kind, String owner) {
        writer.gauge(metric, START, END, t -> 1, "job", "kube-state-metrics", "namespace", namespace, nameLabel, name,
                "owner_is_controller", kind.equals("<none>") ? "<none>" : "true", "owner_kind", kind, "owner_name", owner);
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private Map<SeriesKey, ContainerSeries> read(Path file) throws Exception {
        Map<SeriesKey, ContainerSeries> out = new TreeMap<>(java.util.Comparator.comparing(SeriesKey::toString));
        for (ContainerSeries s : new TraceReader().read(file)) {
            out.put(s.key(), s);
        }
        return out;
    }

    @Test
    void everySampleAndRequestRoundTrips() throws Exception {
        assertEquals(0, export.exit(), export.err());
        Map<SeriesKey, ContainerSeries> actual = read(exported);
        assertEquals(expected.keySet().stream().map(SeriesKey::toString).toList(),
                actual.keySet().stream().map(SeriesKey::toString).toList(), "series and their workloads");
        int rows = 0;
        int cpuOnlyRows = 0;
        for (Map.Entry<SeriesKey, TreeMap<Long, double[]>> e : expected.entrySet()) {
            ContainerSeries a = actual.get(e.getKey());
            TreeMap<Long, double[]> want = e.getValue();
            assertEquals(new ArrayList<>(want.keySet()), Arrays.stream(a.timestamps()).boxed().toList(), e.getKey() + " timestamps");
            int i = 0;
            for (Map.Entry<Long, double[]> sample : want.entrySet()) {
                String where = e.getKey() + " at " + sample.getKey();
                double[] w = sample.getValue();
                double[] requests = a.requestsAt(sample.getKey());
                // rate() of the written counter is the sample's CPU up to float error; the file keeps microcores.
                assertClose(w[0], a.cpuCores()[i], 1e-6, where + " cpu");
                assertClose(w[1], a.memoryBytes()[i], 0.5, where + " memory");
                assertClose(w[2], requests[0], 1e-6, where + " cpu request");
                assertClose(w[3], requests[1], 0.5, where + " memory request");
                cpuOnlyRows += Double.isNaN(w[1]) ? 1 : 0;
                rows++;
                i++;
            }
        }
        assertTrue(rows > 5 * 800, "rows: " + rows);
        assertTrue(cpuOnlyRows > 800, "rows with CPU only: " + cpuOnlyRows);
        assertTrue(export.out().contains("Wrote " + rows + " rows of 5 container series to " + exported), export.out());
    }

    @Test
    void theCronJobContainerWithoutMemorySeriesIsExportedWithCpuOnlyAndNoRequests() throws Exception {
        ContainerSeries backup = read(exported).get(new SeriesKey("batch", "backup", "main"));
        assertTrue(backup.size() > 800, backup.toString());
        assertEquals(0, backup.memorySamples());
        assertTrue(Arrays.stream(backup.cpuCores()).allMatch(c -> c >= 0), "every row has CPU");
        assertTrue(Double.isNaN(backup.cpuRequestCores()) && Double.isNaN(backup.memoryRequestBytes()), backup.toString());
        // The raw file: empty memory and request fields, not zeros.
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(exported))) {
            String line = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains(",batch,backup,main,")).findFirst().orElseThrow();
            assertTrue(line.matches("\\d+,batch,backup,main,[0-9.]+,,,"), line);
        }
    }

    @Test
    void progressGoesToStderrByTenths() {
        List<String> progress = export.err().lines().filter(l -> l.matches("presize export: +\\d+% .*")).toList();
        // 3 namespaces x 3 days: each chunk is another ninth, so every chunk reports.
        assertEquals(9, progress.size(), export.err());
        assertTrue(progress.get(8).contains("100% (9 of 9 namespace-days)"), progress.get(8));
        assertTrue(export.err().contains("3 namespace(s), 2013-07-27T00:00:00Z to 2013-07-30T00:00:00Z at 300 s steps"),
                export.err());
    }

    @Test
    void namespaceFlagLimitsTheExportAndAPlainNameWritesPlainCsv() throws Exception {
        Path plain = dir.resolve("data.csv");
        Run run = export(List.of("--prometheus-url", prometheus.url().toString(), "--output", plain.toString(),
                "--end", "2013-07-30T00:00:00Z", "--history", "24h", "--namespace", "data"));
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.readString(plain).startsWith(TraceReader.HEADER + "\n"), "not gzipped");
        Map<SeriesKey, ContainerSeries> actual = read(plain);
        assertEquals(List.of("data/debug-shell-2/shell", "data/kafka/kafka"),
                actual.keySet().stream().map(SeriesKey::toString).toList());
        for (ContainerSeries s : actual.values()) {
            assertTrue(s.timestamps()[0] >= END - 86400 && s.timestamps()[s.size() - 1] < END, s.toString());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList(),
                    "temporary files left behind");
        }
    }

    @Test
    void aRangeWithoutUsageWritesNothingAndFails() throws Exception {
        Path out = dir.resolve("empty.csv.gz");
        Run run = export(List.of("--prometheus-url", prometheus.url().toString(), "--output", out.toString(),
                "--end", "2013-01-02T00:00:00Z", "--history", "24h"));
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("no container metrics"), run.err());
        assertTrue(run.err().contains(prometheus.url().toString()), run.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void backtestScoresTheExportedTrace() {
        assertEquals(0, export.exit(), export.err());
        BacktestCommandTest.Result backtest = BacktestCommandTest.run(List.of("--trace", exported.toString(),
                "--strategies", "model,vpa,krr,manual", "--warmup", "24h", "--history", "24h", "--format", "json"));
        assertEquals(0, backtest.exit(), backtest.err());
        Map<String, JsonObject> rows = backtest.lines().stream().map(l -> JsonParser.parseString(l).getAsJsonObject())
                .collect(Collectors.toMap(o -> o.get("strategy").getAsString(), o -> o, (a, b) -> a, LinkedHashMap::new));
        assertEquals(List.of("model", "vpa", "krr", "manual"), new ArrayList<>(rows.keySet()));
        for (JsonObject row : rows.values()) {
            assertTrue(row.get("series").getAsInt() >= 2, row.toString());
            assertTrue(row.get("decisions").getAsInt() >= 4, row.toString());
            assertTrue(row.get("cpu_slack_ratio").getAsDouble() >= 0, row.toString());
            assertTrue(row.get("mem_decisions").getAsInt() > 0, row.toString());
        }
    }

    private static void assertClose(double expected, double actual, double tolerance, String what) {
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            assertEquals(Double.isNaN(expected), Double.isNaN(actual), what + ": expected " + expected + ", got " + actual);
            return;
        }
        assertEquals(expected, actual, tolerance, what);
    }
}
