package dev.presize.workloads;

import dev.presize.history.ContainerSeries;
import dev.presize.history.SeriesKey;
import dev.presize.history.TraceHistorySource;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's workloads: the table {@code demo/workloads.tsv} (namespace, kind, name, labels,
 * containers) with each container's current requests taken from the demo trace's request columns
 * (their values at the trace's end), and a creation time at the start of the replayed trace, so a
 * workload exists for as long as it has history and everything is a function of the refresh instant.
 */
@Singleton
@Requires(property = "presize.demo", value = "true")
public class DemoWorkloadSource implements WorkloadSource {

    public static final String DEMO_WORKLOADS = "demo/workloads.tsv";
    private static final int COLUMNS = 5;
    private static final String NO_LABELS = "-";

    private final TraceHistorySource trace;
    private final List<Row> rows;
    private final Map<SeriesKey, ContainerSeries> seriesByKey = new HashMap<>();

    @Inject
    public DemoWorkloadSource(TraceHistorySource trace) {
        this(trace, DEMO_WORKLOADS);
    }

    public DemoWorkloadSource(TraceHistorySource trace, String tableResource) {
        this.trace = trace;
        this.rows = parse(tableResource);
        for (ContainerSeries s : trace.trace()) {
            seriesByKey.put(s.key(), s);
        }
    }

    @Override
    public List<Workload> workloads(Instant at) {
        Instant created = trace.replayStart(at);
        List<Workload> result = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<ContainerSpec> containers = new ArrayList<>(row.containers.size());
            for (String container : row.containers) {
                ContainerSeries s = seriesByKey.get(new SeriesKey(row.namespace, row.name, container));
                containers.add(new ContainerSpec(container,
                        s == null ? null : known(s.cpuRequestCores()),
                        s == null ? null : known(s.memoryRequestBytes())));
            }
            result.add(new Workload(row.namespace, row.kind, row.name, row.labels, created, containers));
        }
        return result;
    }

    private static Double known(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private record Row(String namespace, WorkloadKind kind, String name, Map<String, String> labels,
                       List<String> containers) {
    }

    private static List<Row> parse(String resource) {
        try (InputStream in = DemoWorkloadSource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("workload table not found on the classpath: " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Row> rows = new ArrayList<>();
            // The trace cannot tell two same-named workloads apart, only their containers can.
            Map<SeriesKey, String> claimedBy = new HashMap<>();
            int lineNo = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != COLUMNS) {
                    throw new IllegalStateException(resource + " line " + lineNo + ": expected " + COLUMNS
                            + " tab-separated columns, found " + f.length);
                }
                Row row;
                try {
                    row = new Row(f[0], WorkloadKind.ofKind(f[1]), f[2], labels(f[3]), List.of(f[4].split(",")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(resource + " line " + lineNo + ": " + e.getMessage(), e);
                }
                for (String container : row.containers) {
                    String previous = claimedBy.put(new SeriesKey(row.namespace, row.name, container),
                            row.kind.kind());
                    if (previous != null) {
                        throw new IllegalStateException(resource + " line " + lineNo + ": container " + container
                                + " of " + row.namespace + "/" + row.name + " is also in the " + previous
                                + " of that name; the trace could not tell them apart");
                    }
                }
                rows.add(row);
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text.isEmpty() || text.equals(NO_LABELS)) {
            return labels;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("label '" + pair + "' is not key=value");
            }
            labels.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return labels;
    }
}
