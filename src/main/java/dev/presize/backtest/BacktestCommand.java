package dev.presize.backtest;

import com.google.gson.Gson;
import dev.presize.history.ContainerSeries;
import dev.presize.history.TraceFormatException;
import dev.presize.history.TraceReader;
import dev.presize.format.GoDuration;
import dev.presize.model.learned.ModelFactory;
import dev.presize.model.RequestStrategy;
import dev.presize.model.baselines.KrrRecommender;
import dev.presize.model.baselines.ManualRecommender;
import dev.presize.model.baselines.VpaRecommender;
import dev.presize.model.learned.LearnedStrategy;
import dev.presize.model.learned.Learner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code presize backtest --trace FILE [--strategies model,vpa,krr,manual] [--format table|json]
 * [--chart FILE.html] [--chart-series ns/workload/container,...] [--cpu-target-risk 0.05]
 * [--memory-target-risk 0.01] [--max-container-risk-factor 10] [--history 336h] [--warmup 168h]}.
 *
 * <p>{@code model} is the model as the server runs it: the risk allocation over each container's
 * own past; {@code model-xgboost}, {@code model-cart} and {@code model-sgd} add that Tribuo
 * regressor's predicted shift, to keep measuring what it adds (README: so far, it costs).
 */
public final class BacktestCommand {

    /** The learner the server and {@code model} use; README's comparison says why. */
    public static final Learner DEFAULT_LEARNER = dev.presize.model.learned.ModelFactory.LEARNER;
    static final String DEFAULT_STRATEGIES = "model,vpa,krr,manual";
    private static final Gson JSON = new Gson();

    /** Thrown for bad arguments: the message says what to fix. */
    public static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    record Options(Path trace, List<String> strategies, String format, Path chart, List<String> chartSeries,
                   double cpuRisk, double memoryRisk, Duration history, Duration warmup, double riskCapFactor) {
    }

    private BacktestCommand() {
    }

    /** Runs the command; returns the process exit code (0 ok, 1 failed, 2 usage). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println("presize backtest: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        List<ContainerSeries> trace;
        try {
            trace = new TraceReader().read(options.trace());
        } catch (NoSuchFileException e) {
            err.println("presize backtest: no such trace file: " + options.trace());
            return 1;
        } catch (TraceFormatException e) {
            err.println("presize backtest: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("presize backtest: cannot read " + options.trace() + ": " + e.getMessage());
            return 1;
        }
        if (trace.stream().allMatch(ContainerSeries::isEmpty)) {
            err.println("presize backtest: " + options.trace() + ": the trace has no samples");
            return 1;
        }
        List<Backtest.Contender> contenders = new ArrayList<>();
        for (String name : options.strategies()) {
            contenders.add(new Backtest.Contender(name, strategy(name, options)));
        }
        List<Backtest.Outcome> outcomes;
        try {
            outcomes = new Backtest(new Backtest.Settings(options.warmup().toSeconds(),
                    options.history().toSeconds())).run(trace, contenders);
        } catch (Backtest.NothingToEvaluate e) {
            err.println("presize backtest: " + e.getMessage());
            return 1;
        }
        if (options.format().equals("json")) {
            for (Backtest.Outcome o : outcomes) {
                out.println(JSON.toJson(o.score().fields(o.strategy(), o.series())));
            }
        } else {
            out.print(Tables.render(outcomes));
        }
        if (options.chart() != null) {
            try {
                Files.writeString(options.chart(), Chart.html(trace, outcomes, options.chartSeries(), options));
            } catch (IOException e) {
                err.println("presize backtest: cannot write the chart to " + options.chart() + ": " + e.getMessage());
                return 1;
            }
        }
        return 0;
    }

    static Supplier<RequestStrategy> strategy(String name, Options o) {
        long retrain = Duration.ofHours(6).toSeconds();
        return switch (name) {
            case "model" -> () -> new LearnedStrategy(
                    LearnedStrategy.Settings.defaults(DEFAULT_LEARNER, o.cpuRisk(), o.memoryRisk(), retrain)
                            .withRiskCapFactor(o.riskCapFactor()));
            case "vpa" -> VpaRecommender::new;
            case "krr" -> KrrRecommender::new;
            case "manual" -> ManualRecommender::new;
            default -> {
                Learner learner = Learner.valueOf(name.substring("model-".length()).toUpperCase(Locale.ROOT));
                yield () -> new LearnedStrategy(LearnedStrategy.Settings.defaults(learner, o.cpuRisk(), o.memoryRisk(),
                        retrain).withRiskCapFactor(o.riskCapFactor()).withLearnedShift(true));
            }
        };
    }

    static List<String> knownStrategies() {
        List<String> names = new ArrayList<>(List.of("model", "vpa", "krr", "manual"));
        for (Learner l : Learner.values()) {
            names.add("model-" + l.id());
        }
        return names;
    }

    static Options parse(List<String> args) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument " + a);
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("--" + key + " needs a value");
            }
            if (values.put(key, value) != null) {
                throw new UsageException("--" + key + " given twice");
            }
        }
        List<String> allowed = List.of("trace", "strategies", "format", "chart", "chart-series", "cpu-target-risk",
                "memory-target-risk", "history", "warmup", "max-container-risk-factor");
        for (String k : values.keySet()) {
            if (!allowed.contains(k)) {
                throw new UsageException("unknown flag --" + k);
            }
        }
        String trace = values.get("trace");
        if (trace == null || trace.isBlank()) {
            throw new UsageException("--trace FILE is required");
        }
        List<String> strategies = new ArrayList<>();
        for (String s : values.getOrDefault("strategies", DEFAULT_STRATEGIES).split(",")) {
            String name = s.trim();
            if (!knownStrategies().contains(name)) {
                throw new UsageException("unknown strategy \"" + name + "\"; known: " + String.join(", ", knownStrategies()));
            }
            if (strategies.contains(name)) {
                throw new UsageException("strategy \"" + name + "\" listed twice");
            }
            strategies.add(name);
        }
        String format = values.getOrDefault("format", "table");
        if (!format.equals("table") && !format.equals("json")) {
            throw new UsageException("--format must be table or json, got \"" + format + "\"");
        }
        List<String> chartSeries = values.containsKey("chart-series")
                ? List.of(values.get("chart-series").split(",")) : List.of();
        return new Options(Path.of(trace), strategies, format,
                values.containsKey("chart") ? Path.of(values.get("chart")) : null, chartSeries,
                risk(values, "cpu-target-risk", 0.05), risk(values, "memory-target-risk", 0.01),
                duration(values, "history", "336h"), duration(values, "warmup", "168h"), capFactor(values));
    }

    private static double capFactor(Map<String, String> values) throws UsageException {
        try {
            return ModelFactory.capFactor("max-container-risk-factor",
                    values.getOrDefault("max-container-risk-factor", String.valueOf(LearnedStrategy.DEFAULT_RISK_CAP_FACTOR)));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static double risk(Map<String, String> values, String key, double fallback) throws UsageException {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && d < 1) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException("--" + key + " must be a number between 0 and 1 (exclusive), got \"" + v + "\"");
    }

    private static Duration duration(Map<String, String> values, String key, String fallback) throws UsageException {
        String v = values.getOrDefault(key, fallback);
        try {
            Duration d = GoDuration.parse(v);
            if (d.toHours() >= 24 && d.toSeconds() % 3600 == 0) {
                return d;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw new UsageException("--" + key + " must be whole hours, at least 24h (e.g. 336h), got \"" + v + "\"");
    }

    static String usage() {
        return "usage: presize backtest --trace FILE [--strategies " + DEFAULT_STRATEGIES + "] [--format table|json]\n"
                + "                        [--chart FILE.html] [--chart-series ns/workload/container,...]\n"
                + "                        [--cpu-target-risk 0.05] [--memory-target-risk 0.01] [--history 336h]"
                + " [--warmup 168h]\n"
                + "                        [--max-container-risk-factor 10]\n"
                + "strategies: " + String.join(", ", knownStrategies());
    }
}
