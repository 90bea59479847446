package dev.presize.backtest;

import dev.presize.config.ConfigException;
import dev.presize.config.ExportFlags;
import dev.presize.config.FlagTable;
import dev.presize.config.Values;
import dev.presize.history.prometheus.PrometheusClient;
import dev.presize.history.prometheus.PrometheusSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code presize export --prometheus-url URL --output FILE}: a cluster's usage history from
 * Prometheus as a trace for {@code presize backtest --trace FILE}, so a platform team sees the
 * backtest's tables for its own workloads. The flags are {@link ExportFlags}, the Prometheus ones the
 * server's own; the client is the server's {@link PrometheusClient}, with its timeouts and retries.
 *
 * <p>Nothing half-written: the rows go to a temporary file beside the output, created before the
 * first query (so an unwritable place fails at once, not after an hour of queries), renamed over the
 * output only once complete, and deleted on any failure or interruption.
 */
public final class ExportCommand {

    private static final String NAME = "presize export: ";

    record Options(PrometheusSettings prometheus, Path output, List<String> namespaces, UsageExport.Range range) {
    }

    private ExportCommand() {
    }

    /** Runs the command; returns the process exit code (0 written, 1 failed, 2 usage). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        return run(args, out, err, Clock.systemUTC());
    }

    static int run(List<String> args, PrintStream out, PrintStream err, Clock clock) {
        if (FlagTable.wantsHelp(args)) {
            out.print(ExportFlags.TABLE.help());
            return 0;
        }
        Options options;
        try {
            options = parse(args, clock);
        } catch (ConfigException e) {
            err.println(NAME + e.getMessage());
            err.println("Run with --help for the flags.");
            return 2;
        }
        Path output = options.output();
        var problem = BacktestCommand.unwritable(output);
        if (problem.isPresent()) {
            err.println(NAME + "--output " + output + ": " + problem.get());
            return 2;
        }
        Path tmp;
        try {
            tmp = Files.createTempFile(output.toAbsolutePath().getParent(), "." + output.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            err.println(NAME + "--output " + output + ": " + BacktestCommand.reason(e));
            return 2;
        }
        // Ctrl-C runs the shutdown hooks: the temporary file goes with the process. After the rename
        // there is nothing left at its path to delete.
        tmp.toFile().deleteOnExit();
        try {
            return export(options, tmp, out, err);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                err.println(NAME + "could not remove the temporary file " + tmp + ": " + BacktestCommand.reason(e));
            }
        }
    }

    private static int export(Options options, Path tmp, PrintStream out, PrintStream err) {
        UsageExport export = new UsageExport(new PrometheusClient(options.prometheus()));
        UsageExport.Range range = options.range();
        String where = options.prometheus().url().toString();
        String when = Instant.ofEpochSecond(range.start()) + " to " + Instant.ofEpochSecond(range.end());
        try (TraceCsvWriter writer = new TraceCsvWriter(tmp, options.output().getFileName().toString().endsWith(".gz"))) {
            List<String> namespaces = options.namespaces();
            if (namespaces.isEmpty()) {
                namespaces = new ArrayList<>(export.namespaces(range));
                if (namespaces.isEmpty()) {
                    err.println(NAME + "no container metrics (container_cpu_usage_seconds_total, container_memory_working_set_bytes) "
                            + "in " + where + " from " + when + "; nothing written");
                    return 1;
                }
            }
            err.println(NAME + namespaces.size() + " namespace(s), " + when + " at " + range.step() + " s steps, from " + where);
            UsageExport.Summary summary = export.export(namespaces, range, writer, new DecileProgress(err));
            if (summary.rows() == 0) {
                err.println(NAME + "no container usage in namespace(s) " + String.join(", ", namespaces) + " in " + where
                        + " from " + when + "; nothing written");
                return 1;
            }
            writer.finish();
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, options.output(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (summary.unwritableNames() > 0) {
                err.println(NAME + summary.unwritableNames() + " series left out: their names hold a comma or a line break");
            }
            out.println("Wrote " + summary.rows() + " rows of " + summary.series() + " container series to " + options.output()
                    + ". Next: java -jar presize.jar backtest --trace " + options.output());
            return 0;
        } catch (TraceCsvWriter.WriteFailure e) {
            err.println(NAME + "cannot write " + options.output() + ": " + e.getMessage());
            return 1;
        } catch (IOException e) {
            // The client's messages name the URL, the cause and the query; anything else gets the URL here.
            // One line: a JSON parser's message, for one, carries its location on a second line.
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s*\\R\\s*", " ");
            err.println(NAME + (message.contains(where) ? message : "Prometheus " + where + ": " + message));
            return 1;
        }
    }

    /** The flags, checked; what is left after the shared parser is what only the export needs. */
    static Options parse(List<String> args, Clock clock) {
        Values v = ExportFlags.TABLE.values(args);
        var prometheusFlags = ExportFlags.prometheus(v);
        if (prometheusFlags.url().isEmpty()) {
            throw new ConfigException("--prometheus-url URL is required");
        }
        Path output = v.get(ExportFlags.OUTPUT).orElseThrow(() -> new ConfigException("--output FILE is required"));
        PrometheusSettings settings;
        try {
            settings = PrometheusSettings.from(prometheusFlags);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        long end = v.get(ExportFlags.END).map(Instant::getEpochSecond)
                .orElseGet(() -> Math.floorDiv(clock.instant().getEpochSecond(), 3600) * 3600);
        long start = end - v.get(ExportFlags.HISTORY).toSeconds();
        List<String> namespaces = new ArrayList<>();
        for (String ns : v.get(ExportFlags.NAMESPACE)) {
            if (!namespaces.contains(ns)) {
                namespaces.add(ns);
            }
        }
        return new Options(settings, output, namespaces, new UsageExport.Range(start, end, v.get(ExportFlags.STEP).toSeconds()));
    }

    /** A line on stderr each time another tenth of the chunks is done. */
    private static final class DecileProgress implements UsageExport.Progress {
        private final PrintStream err;
        private int lastDecile;

        DecileProgress(PrintStream err) {
            this.err = err;
        }

        @Override
        public void chunkDone(int done, int total, long rows) {
            int decile = (int) (10L * done / total);
            if (decile > lastDecile) {
                lastDecile = decile;
                err.println(String.format(Locale.ROOT, "%s%3d%% (%d of %d namespace-days), %d rows", NAME,
                        100L * done / total, done, total, rows));
            }
        }
    }
}
