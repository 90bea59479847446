package dev.presize.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The flags of {@code presize export}: its own, plus the server's {@code --prometheus-*} flags, the
 * very same {@link Flag}s (as {@link BacktestFlags} takes the risk flags), so the export reaches
 * Prometheus exactly as the server would: same URL rules, token file, CA, headers and timeout.
 */
public final class ExportFlags {

    /** Prometheus refuses more than 11,000 points per series; a day at 10 s steps is 8,640. */
    static final Duration MIN_STEP = Duration.ofSeconds(10);

    /**
     * A sample interval: whole seconds, at least {@link #MIN_STEP}, dividing an hour, so every hour
     * holds the same whole number of samples and the day-long queries stay under Prometheus' limit.
     */
    static final Type<Duration> STEP_TYPE = new Type<>("duration", false, false, values -> {
        Duration d = Type.DURATION.parse(values);
        if (d.toNanosPart() != 0 || d.compareTo(MIN_STEP) < 0 || Duration.ofHours(1).toSeconds() % d.toSeconds() != 0) {
            throw new IllegalArgumentException("must be whole seconds, at least 10s, dividing an hour (e.g. 30s, 1m, 5m, 15m)");
        }
        return d;
    });

    /** An RFC 3339 time on the hour; empty means "the last full hour". */
    static final Type<Optional<Instant>> HOUR_TYPE = new Type<>("time", false, false, values -> {
        String v = String.join(",", values).trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an RFC 3339 time on the hour, e.g. 2024-05-01T00:00:00Z");
        }
        if (t.getEpochSecond() % 3600 != 0 || t.getNano() != 0) {
            throw new IllegalArgumentException("must be on the hour (minutes and seconds 0), e.g. 2024-05-01T00:00:00Z");
        }
        return Optional.of(t);
    });

    public static final Flag<Optional<Path>> OUTPUT = new Flag<>("output", Type.PATH, "",
            "The trace CSV to write, in the format backtest --trace reads; gzipped when the name ends in .gz. Required. "
                    + "Written to a temporary file beside it and renamed when complete, so it is never half-written.");
    public static final Flag<List<String>> NAMESPACE = new Flag<>("namespace", Type.LIST, "",
            "Namespaces to export; repeat the flag or separate with commas. Default: every namespace with container "
                    + "metrics in the time range.");
    public static final Flag<Duration> HISTORY = new Flag<>("history", Type.wholeHours(Duration.ofHours(1)), "336h",
            "How far back from --end to export, whole hours (as the server's --history). backtest needs more than its "
                    + "--warmup (168h) to score anything.");
    public static final Flag<Optional<Instant>> END = new Flag<>("end", HOUR_TYPE, "",
            "End of the exported range, RFC 3339 on the hour, e.g. 2024-05-01T00:00:00Z. Default: the start of the "
                    + "current hour.");
    public static final Flag<Duration> STEP = new Flag<>("step", STEP_TYPE, "5m",
            "Sample interval: each row is a container's average CPU over one step (rate() over the step) and its peak "
                    + "working set in it. The server's queries use 5m; a step must be at least twice Prometheus' scrape "
                    + "interval, or rate() has too few points and CPU comes back empty.");

    public static final FlagTable TABLE = new FlagTable(
            "Usage: java -jar presize.jar export --prometheus-url URL --output FILE.csv[.gz] [flags]",
            "Reads containers' CPU and memory usage and requests from Prometheus (cAdvisor and kube-state-metrics\n"
                    + "metrics, the server's queries and client) and writes them as a trace for backtest --trace:\n"
                    + "  java -jar presize.jar export --prometheus-url http://prometheus:9090 --output my.csv.gz\n"
                    + "  java -jar presize.jar backtest --trace my.csv.gz\n\n"
                    + "Rows: one per container of a workload and step. CPU cores = rate(container_cpu_usage_seconds_total[step]),\n"
                    + "memory = max_over_time(container_memory_working_set_bytes[step]), requests from\n"
                    + "kube_pod_container_resource_requests (empty when kube-state-metrics does not export them). Pods of one\n"
                    + "workload are pooled: each step keeps the largest use and request over the pods, as the server keeps\n"
                    + "the largest per hour.\n\n"
                    + "Workload of a pod: its owner from kube-state-metrics' kube_pod_owner, followed through\n"
                    + "kube_replicaset_owner (ReplicaSet -> Deployment) and kube_job_owner (Job -> CronJob); a pod\n"
                    + "without those series is named by its pod name: a trailing -<5 random characters> is removed,\n"
                    + "then a trailing -<pod-template-hash> (6 to 10 of the same characters) or -<number> (Job index,\n"
                    + "CronJob run, StatefulSet ordinal). The Kubernetes API is not read.\n\n"
                    + "Queries go one namespace and one day at a time (at most 8,640 points per series), in sequence, all\n"
                    + "to /api/v1/query_range. --prometheus-url is required here.",
            List.of(ServerFlags.PROMETHEUS_URL, OUTPUT, NAMESPACE, HISTORY, END, STEP, ServerFlags.PROMETHEUS_BEARER_TOKEN_FILE,
                    ServerFlags.PROMETHEUS_CA_FILE, ServerFlags.PROMETHEUS_INSECURE_SKIP_VERIFY, ServerFlags.PROMETHEUS_HEADER,
                    ServerFlags.PROMETHEUS_TIMEOUT),
            "Exit status: 0 written; 1 failed (Prometheus unreachable, refusing or answering garbage, no usage found,\n"
                    + "writing failed); 2 bad flags, or an --output that cannot be written. Durations use Go's syntax (5m, 336h).");

    private ExportFlags() {
    }

    /** The {@code --prometheus-*} flags, checked, as the server reads them. */
    public static PrometheusFlags prometheus(Values v) {
        return PrometheusFlags.from(v);
    }
}
