package dev.presize.backtest;

import com.google.gson.Gson;
import dev.presize.history.ContainerSeries;
import dev.presize.history.TraceFormatException;
import dev.presize.history.TraceReader;
import dev.presize.format.GoDuration;
import dev.presize.model.learned.ModelFactory;
import dev.presize.config.BacktestFlags;
import dev.presize.config.ConfigException;
import dev.presize.config.FlagTable;
import dev.presize.config.ModelSettings;
import dev.presize.config.Values;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code presize backtest --trace FILE [flags]}; the flags are {@link BacktestFlags}, parsed and checked
 * by the same code as the server's, and the model's are the server's own.
 *
 * <p>{@code model} is the model as the server runs it; {@code model-no-learning} is the ablation that
 * measures what its Tribuo regressors add.
 */
public final class BacktestCommand {

    /** The learner the server and {@code model} use; README's comparison says why. */
    public static final Learner DEFAULT_LEARNER = ModelFactory.LEARNER;
    /** The ablation: the model's pipeline with the Tribuo regressors removed. */
    static final String NO_LEARNING = "model-no-learning";
    /** One object per line and strategy ({@code --format json}). */
    private static final Gson JSON = new Gson();

    /**
     * @param strategiesGiven whether {@code --strategies} was given: the default list drops
     *                        {@code manual} on a trace without provisioned requests, a list asked for
     *                        does not
     */
    record Options(Path trace, List<String> strategies, boolean strategiesGiven, String format, Path chart,
                   List<String> chartSeries, ModelSettings model, Duration history, Duration warmup,
                   Optional<Instant> scoreSince, Optional<Instant> scoreUntil) {

        double cpuRisk() {
            return model.cpuTargetRisk();
        }

        double cpuUnmet() {
            return model.cpuTargetUnmet();
        }

        double memoryRisk() {
            return model.memoryTargetRisk();
        }
    }

    private BacktestCommand() {
    }

    /** Runs the command; returns the process exit code (0 ok, 1 failed, 2 usage). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (FlagTable.wantsHelp(args)) {
            out.print(BacktestFlags.TABLE.help());
            return 0;
        }
        Options options;
        try {
            options = parse(args);
        } catch (ConfigException e) {
            err.println("presize backtest: " + e.getMessage());
            err.println("Run with --help for the flags.");
            return 2;
        }
        // The chart is written last, after minutes of work: a path it cannot be written to is
        // reported now, not then.
        Optional<String> chartProblem = options.chart() == null ? Optional.empty() : unwritable(options.chart());
        if (chartProblem.isPresent()) {
            err.println("presize backtest: --chart " + options.chart() + ": " + chartProblem.get());
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
        } catch (OutOfMemoryError e) {
            // What was read is garbage once the reader has unwound, so the message can be built.
            err.println(outOfMemory("reading " + options.trace()));
            return 1;
        }
        if (trace.stream().allMatch(ContainerSeries::isEmpty)) {
            err.println("presize backtest: " + options.trace() + ": the trace has no samples");
            return 1;
        }
        List<String> strategies = new ArrayList<>(options.strategies());
        if (strategies.contains(ManualRecommender.NAME) && trace.stream().noneMatch(ContainerSeries::hasRequests)) {
            // Public usage traces often carry no requests (the columns are optional in the trace
            // format), and `manual` answers nothing there, so every decision would go unscored.
            String why = options.trace() + " has no provisioned requests (cpu_request_cores and memory_request_bytes"
                    + " are empty in every row), so manual has nothing to answer";
            if (options.strategiesGiven()) {
                err.println("presize backtest: " + why + ": leave it out of --strategies");
                return 1;
            }
            err.println("presize backtest: " + why + "; it is left out of the default strategies");
            strategies.remove(ManualRecommender.NAME);
        }
        List<Backtest.Contender> contenders = new ArrayList<>();
        for (String name : strategies) {
            contenders.add(new Backtest.Contender(name, name.equals(PerDayOracle.NAME)
                    ? () -> new PerDayOracle(trace, options.cpuRisk(), options.cpuUnmet()) : strategy(name, options)));
        }
        List<Backtest.Outcome> outcomes;
        try {
            outcomes = new Backtest(new Backtest.Settings(options.warmup().toSeconds(), options.history().toSeconds(),
                    options.scoreSince().map(Instant::getEpochSecond).orElse(Long.MIN_VALUE),
                    options.scoreUntil().map(Instant::getEpochSecond).orElse(Long.MAX_VALUE))).run(trace, contenders);
        } catch (Backtest.NothingToEvaluate e) {
            err.println("presize backtest: " + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println(outOfMemory("replaying " + options.trace()));
            return 1;
        }
        if (options.format().equals("json")) {
            for (Backtest.Outcome o : outcomes) {
                Map<String, Object> fields = o.score().fields(o.strategy(), o.series());
                if (o.calibrations().trainings() > 0) {
                    fields.put("trainings", o.calibrations().trainings());
                    fields.put("trainings_missing_target", o.calibrations().missed());
                }
                Map<String, Double> errors = o.score().standardErrors();
                if (!errors.isEmpty()) {
                    fields.put("standard_errors", errors);
                }
                if (o == outcomes.get(0)) {
                    Map<String, Map<String, Double>> differences = Backtest.differenceErrors(outcomes);
                    if (!differences.isEmpty()) {
                        fields.put("difference_standard_errors", differences);
                    }
                }
                out.println(JSON.toJson(fields));
            }
        } else {
            out.print(Tables.render(outcomes));
        }
        if (options.chart() != null) {
            try {
                Files.writeString(options.chart(), Chart.html(trace, outcomes, options.chartSeries(), options));
            } catch (IOException e) {
                err.println("presize backtest: --chart " + options.chart() + ": " + reason(e));
                return 1;
            }
        }
        return 0;
    }

    /**
     * The trace is held in memory, every raw sample of it, since the scores count raw samples as a
     * user would: a trace larger than the heap fails, and says how to go on instead of printing the
     * JVM's stack trace.
     */
    static String outOfMemory(String doing) {
        return "presize backtest: out of memory " + doing + " (the JVM's heap is at most "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB): give it more with java -Xmx<size>"
                + " (e.g. java -Xmx8g -jar presize.jar backtest ...), or pass a shorter trace or fewer series";
    }

    /** Why {@code file} cannot be written, in words; empty if it can (as far as can be told before writing). */
    static Optional<String> unwritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            return Optional.of("is a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            return Optional.of("no such directory " + dir);
        }
        if (Files.exists(file) ? !Files.isWritable(file) : !Files.isWritable(dir)) {
            return Optional.of("permission denied");
        }
        return Optional.empty();
    }

    /** An I/O failure in words: NIO's exceptions carry only the path as their message. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * {@code model} is the server's model; {@code model-no-learning} the same pipeline without the
     * Tribuo regressors (the ablation: in-sample risk curves); {@code model-<learner>} the model
     * with another {@link Learner} than the served one, when there is one.
     */
    static Supplier<RequestStrategy> strategy(String name, Options o) {
        LearnedStrategy.Settings model = ModelFactory.settings(o.model());
        return switch (name) {
            case "model" -> () -> new LearnedStrategy(model);
            case NO_LEARNING -> () -> new LearnedStrategy(model.withLearning(false));
            case "vpa" -> VpaRecommender::new;
            case "krr" -> KrrRecommender::new;
            case "manual" -> ManualRecommender::new;
            default -> {
                Learner learner = Learner.valueOf(name.substring("model-".length()).toUpperCase(Locale.ROOT));
                yield () -> new LearnedStrategy(model.withLearner(learner));
            }
        };
    }

    static List<String> knownStrategies() {
        List<String> names = new ArrayList<>(List.of("model", NO_LEARNING, "vpa", "krr", "manual",
                PerDayOracle.NAME));
        for (Learner l : Learner.values()) {
            if (l != DEFAULT_LEARNER) {
                names.add("model-" + l.id());
            }
        }
        return names;
    }

    /** Reads the flags with the server's parser and types; what is left to check here is backtest logic. */
    static Options parse(List<String> args) {
        Values v = BacktestFlags.TABLE.values(args);
        Path trace = v.get(BacktestFlags.TRACE).orElseThrow(() -> new ConfigException("--trace FILE is required"));
        List<String> strategies = new ArrayList<>();
        for (String name : v.get(BacktestFlags.STRATEGIES)) {
            if (!knownStrategies().contains(name)) {
                throw new ConfigException("unknown strategy \"" + name + "\"; known: " + String.join(", ", knownStrategies()));
            }
            if (strategies.contains(name)) {
                throw new ConfigException("strategy \"" + name + "\" listed twice");
            }
            strategies.add(name);
        }
        if (strategies.isEmpty()) {
            throw new ConfigException("--strategies needs at least one of " + String.join(", ", knownStrategies()));
        }
        ModelSettings model = ModelSettings.from(v);
        Optional<Instant> since = v.get(BacktestFlags.SCORE_SINCE);
        Optional<Instant> until = v.get(BacktestFlags.SCORE_UNTIL);
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            throw new ConfigException("--score-since " + since.get() + " must be before --score-until " + until.get());
        }
        return new Options(trace, strategies, v.given(BacktestFlags.STRATEGIES), v.get(BacktestFlags.FORMAT),
                v.get(BacktestFlags.CHART).orElse(null), v.get(BacktestFlags.CHART_SERIES), model,
                v.get(BacktestFlags.HISTORY), v.get(BacktestFlags.WARMUP), since, until);
    }

}
