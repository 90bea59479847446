package dev.presize.backtest;

import dev.presize.history.ContainerSeries;
import dev.presize.history.HourlyAggregator;
import dev.presize.history.HourlyUsage;
import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.format.GoDuration;
import dev.presize.format.Quantities;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.Resources;
import dev.presize.model.TargetStatus;
import dev.presize.format.Rfc3339;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Rolling-origin evaluation on a trace. After a warm-up, a decision every 24 hours: each strategy
 * sees only what came strictly before the decision (at most {@code window} of it, as the server
 * would), its requests are rounded as the server serves them, and they are scored against the raw
 * samples of the next 24 hours. A (series, decision) pair counts for CPU only when every strategy
 * recommended CPU for it, and for memory only when every strategy recommended memory, so all
 * strategies are scored on the same samples; a series with only CPU (or only memory) samples is
 * scored on what it has.
 */
public final class Backtest {

    static final long DAY = 86_400;
    private static final Resources UNKNOWN = new Resources(Double.NaN, Double.NaN);

    /**
     * @param warmupSeconds time from the trace's first hour to the first decision
     * @param windowSeconds history each decision may use ({@code --history})
     * @param scoreSince    only decisions at or after this (epoch seconds) are scored
     *                      ({@code --score-since})
     * @param scoreUntil    only decisions before this are scored ({@code --score-until})
     */
    public record Settings(long warmupSeconds, long windowSeconds, long scoreSince, long scoreUntil) {

        /** Every decision scored. */
        public Settings(long warmupSeconds, long windowSeconds) {
            this(warmupSeconds, windowSeconds, Long.MIN_VALUE, Long.MAX_VALUE);
        }

        boolean scores(long decision) {
            return decision >= scoreSince && decision < scoreUntil;
        }
    }

    /**
     * One strategy's results: its scorecard, and the request per series per decision for the chart
     * ({decision, CPU millicores, memory bytes}, -1 for a resource not scored at that decision).
     */
    public record Outcome(String strategy, Scorecard score, int series, Map<SeriesKey, List<long[]>> timeline,
                          Calibrations calibrations) {
    }

    /**
     * For the first strategy (the one being judged, as {@code --strategies} lists it) against each
     * of the others, the standard errors of the differences of their measures: scored on the same
     * days and containers, two strategies' figures move together, so a difference is known far more
     * closely than either figure alone. Empty with a single strategy.
     */
    static Map<String, Map<String, Double>> differenceErrors(List<Outcome> outcomes) {
        Map<String, Map<String, Double>> m = new java.util.LinkedHashMap<>();
        for (Outcome o : outcomes.subList(1, outcomes.size())) {
            Map<String, Double> errors = outcomes.get(0).score().differenceErrors(o.score());
            if (!errors.isEmpty()) {
                m.put(o.strategy(), errors);
            }
        }
        return m;
    }

    /**
     * How a strategy's calibrations went ({@link RequestStrategy#targets}): its trainings (one per
     * decision, since every decision gets a fresh strategy) and, per target flag, in how many no
     * price held the target on the calibration days, so that its served risk is above the target.
     * No trainings for a strategy that calibrates nothing.
     */
    public record Calibrations(int trainings, Map<String, Integer> missed) {

        /**
         * "no price held --cpu-target-unmet in 9, --memory-target-risk in 36 of its 82 trainings on the
         * calibration days: ...", naming only the targets missed at least once; empty when none was.
         */
        public String summary() {
            List<String> parts = new ArrayList<>();
            missed.forEach((flag, n) -> {
                if (n > 0) {
                    parts.add("--" + flag + " in " + n);
                }
            });
            return parts.isEmpty() ? "" : "no price held " + String.join(", ", parts) + " of its " + trainings
                    + " trainings on the calibration days: its served risk is above those targets";
        }
    }

    /** The calibrations of each contender, added to as decisions are taken (in parallel). */
    private static final class Tally {
        private final Map<String, Integer> trainings = new HashMap<>();
        private final Map<String, Map<String, Integer>> missed = new HashMap<>();

        synchronized void add(String contender, List<TargetStatus> targets) {
            if (targets.isEmpty()) {
                return;
            }
            trainings.merge(contender, 1, Integer::sum);
            Map<String, Integer> m = missed.computeIfAbsent(contender, k -> new LinkedHashMap<>());
            for (TargetStatus t : targets) {
                m.merge(t.flag(), t.held() ? 0 : 1, Integer::sum);
            }
        }

        synchronized Calibrations of(String contender) {
            return new Calibrations(trainings.getOrDefault(contender, 0),
                    Collections.unmodifiableMap(new LinkedHashMap<>(missed.getOrDefault(contender, Map.of()))));
        }
    }

    /**
     * The trace and settings leave nothing to evaluate: no decision, or no (series, decision) every
     * strategy answered. A scorecard of zeros would read as a perfect result, so this is an error.
     */
    public static final class NothingToEvaluate extends IllegalArgumentException {
        NothingToEvaluate(String message) {
            super(message);
        }
    }

    /** A named way to get a fresh strategy per decision (the model keeps training state). */
    public record Contender(String name, Supplier<RequestStrategy> strategy) {
    }

    private final Settings settings;

    public Backtest(Settings settings) {
        this.settings = settings;
    }

    /**
     * The hours a trace is read in: from the whole hour at or before its first sample ({@code start})
     * to the hour holding its last sample ({@code last}), {@code hours} slots; every series' sketches
     * are aligned on them (also {@code bench/backtest/run sketch}'s, so that it reads the model's).
     */
    public record Span(long start, long last, int hours) {

        public static Span of(List<ContainerSeries> trace) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (ContainerSeries s : trace) {
                if (!s.isEmpty()) {
                    first = Math.min(first, s.timestamps()[0]);
                    last = Math.max(last, s.timestamps()[s.size() - 1]);
                }
            }
            if (first == Long.MAX_VALUE) {
                throw new IllegalArgumentException("the trace has no samples");
            }
            long start = Math.floorDiv(first, HourlyUsage.HOUR) * HourlyUsage.HOUR;
            return new Span(start, last, (int) ((last - start) / HourlyUsage.HOUR + 1));
        }
    }

    public List<Outcome> run(List<ContainerSeries> trace, List<Contender> contenders) {
        Span span = Span.of(trace);
        long start = span.start();
        long last = span.last();
        int hours = span.hours();
        List<HourlyUsage> hourly = trace.parallelStream().map(s -> HourlyAggregator.aggregate(s, start, hours)).toList();
        List<Long> every = new ArrayList<>();
        for (long d = start + settings.warmupSeconds(); d <= last; d += DAY) {
            every.add(d);
        }
        // A scoring window (--score-since, --score-until) scores part of the decisions, but every
        // decision before its end is still taken: a strategy that keeps the request in force
        // (RequestStrategy.readsApplied) enters the window with the requests its earlier days left, as
        // in the whole run, so the window's numbers are the whole run's days, not a fresh start there.
        int firstScored = -1;
        int end = 0;
        for (int i = 0; i < every.size(); i++) {
            if (every.get(i) < settings.scoreUntil()) {
                end = i + 1;
            }
            if (firstScored < 0 && settings.scores(every.get(i))) {
                firstScored = i;
            }
        }
        if (!every.isEmpty() && firstScored < 0) {
            throw new NothingToEvaluate("no decision to score between " + bound(settings.scoreSince(), "the start")
                    + " and " + bound(settings.scoreUntil(), "the end") + ": the decisions run every 24 h from "
                    + Rfc3339.format(Instant.ofEpochSecond(every.get(0))) + " to "
                    + Rfc3339.format(Instant.ofEpochSecond(every.get(every.size() - 1)))
                    + "; use --score-since and --score-until around some of them");
        }
        // None after the window is taken: nothing reads them.
        List<Long> decisions = List.copyOf(every.subList(0, end));
        if (decisions.isEmpty()) {
            throw new NothingToEvaluate("no decision to evaluate: the first decision, after the "
                    + GoDuration.format(Duration.ofSeconds(settings.warmupSeconds())) + " warm-up, would be at "
                    + Rfc3339.format(Instant.ofEpochSecond(start + settings.warmupSeconds()))
                    + ", after the trace's last sample at " + Rfc3339.format(Instant.ofEpochSecond(last))
                    + "; use a shorter --warmup");
        }
        // A strategy that reads nothing of the requests in force decides each day on its own (it is
        // fresh per decision): those decisions run in parallel. One that keeps the request in force
        // while it is still good (RequestStrategy.readsApplied) sees, as in force, its own previous
        // answers, as if deployment tooling had applied each: its decisions run in order.
        List<Contender> independent = new ArrayList<>();
        List<Contender> chained = new ArrayList<>();
        for (Contender c : contenders) {
            (c.strategy().get().readsApplied() ? chained : independent).add(c);
        }
        Tally tally = new Tally();
        // The decision before the window is taken too (not scored), so that a change on the
        // window's first day is counted as it is in the whole run.
        int context = Math.max(0, firstScored - 1);
        List<Map<String, Map<SeriesKey, Resources>>> free = IntStream.range(0, decisions.size()).parallel()
                .mapToObj(i -> i < context ? Map.<String, Map<SeriesKey, Resources>>of()
                        : decide(trace, hourly, start, decisions.get(i), independent, null, tally)).toList();
        Map<String, List<Map<SeriesKey, Resources>>> inOrder = new ConcurrentHashMap<>();
        chained.parallelStream().forEach(c -> inOrder.put(c.name(), chain(trace, hourly, start, decisions, c, tally)));
        List<Map<String, Map<SeriesKey, Resources>>> perDecision = new ArrayList<>();
        for (int d = 0; d < decisions.size(); d++) {
            Map<String, Map<SeriesKey, Resources>> all = new LinkedHashMap<>();
            for (Contender c : contenders) {
                all.put(c.name(), inOrder.containsKey(c.name()) ? inOrder.get(c.name()).get(d)
                        : free.get(d).get(c.name()));
            }
            perDecision.add(all);
        }
        return score(trace, decisions, context, perDecision, contenders, tally);
    }

    private static String bound(long t, String open) {
        return t == Long.MIN_VALUE || t == Long.MAX_VALUE ? open : Rfc3339.format(Instant.ofEpochSecond(t));
    }

    /**
     * One contender's decisions in order, each seeing as in force its last answer for each resource
     * (NaN before its first).
     */
    private List<Map<SeriesKey, Resources>> chain(List<ContainerSeries> trace, List<HourlyUsage> hourly, long start,
                                                  List<Long> decisions, Contender contender, Tally tally) {
        List<Map<SeriesKey, Resources>> out = new ArrayList<>();
        Map<SeriesKey, Resources> applied = new HashMap<>();
        for (long decision : decisions) {
            Map<SeriesKey, Resources> answers = decide(trace, hourly, start, decision, List.of(contender), applied,
                    tally).get(contender.name());
            out.add(answers);
            answers.forEach((key, r) -> applied.merge(key, r, (before, now) -> new Resources(
                    now.hasCpu() ? now.cpuCores() : before.cpuCores(),
                    now.hasMemory() ? now.memoryBytes() : before.memoryBytes())));
        }
        return out;
    }

    /**
     * The contenders' answers at one decision. {@code applied}: the requests in force per series
     * (absent: unknown); null: the trace's own requests are in force.
     */
    private Map<String, Map<SeriesKey, Resources>> decide(List<ContainerSeries> trace, List<HourlyUsage> hourly,
                                                          long start, long decision, List<Contender> contenders,
                                                          Map<SeriesKey, Resources> applied, Tally tally) {
        long from = Math.max(start, decision - settings.windowSeconds());
        List<ContainerHistory> candidates = new ArrayList<>();
        for (int i = 0; i < trace.size(); i++) {
            ContainerSeries s = trace.get(i);
            ContainerSeries past = s.between(from, decision);
            if (past.isEmpty() || s.between(decision, decision + DAY).isEmpty()) {
                continue;
            }
            HourlyUsage u = hourly.get(i);
            HourlyUsage window = u.slice(u.slotOf(from), u.slotOf(decision));
            double[] current = s.requestsAt(decision - 1);
            Resources declared = new Resources(current[0], current[1]);
            candidates.add(new ContainerHistory(s.key(), window, past, declared, applied == null ? declared
                    : applied.getOrDefault(s.key(), UNKNOWN)));
        }
        Map<String, Map<SeriesKey, Resources>> out = new LinkedHashMap<>();
        for (Contender c : contenders) {
            Map<SeriesKey, Resources> requests = new HashMap<>();
            RequestStrategy strategy = c.strategy().get();
            for (Map.Entry<SeriesKey, Recommendation> e : strategy.recommend(candidates, decision).entrySet()) {
                requests.put(e.getKey(), Quantities.asServed(e.getValue().requests()));
            }
            if (settings.scores(decision)) {
                tally.add(c.name(), strategy.targets());
            }
            out.put(c.name(), requests);
        }
        return out;
    }

    /**
     * The scorecards of the decisions in the scoring window; those from {@code context} on before it
     * are read only as the previous requests a change is counted from.
     */
    private List<Outcome> score(List<ContainerSeries> trace, List<Long> decisions, int context,
                                List<Map<String, Map<SeriesKey, Resources>>> perDecision, List<Contender> contenders,
                                Tally tally) {
        Map<String, Scorecard> cards = new LinkedHashMap<>();
        Map<String, Map<SeriesKey, List<long[]>>> timelines = new HashMap<>();
        for (Contender c : contenders) {
            cards.put(c.name(), new Scorecard());
            timelines.put(c.name(), new HashMap<>());
        }
        int seriesScored = 0;
        for (ContainerSeries s : trace) {
            Map<String, Resources> previous = new HashMap<>();
            boolean scored = false;
            for (int d = context; d < decisions.size(); d++) {
                long decision = decisions.get(d);
                boolean inWindow = settings.scores(decision);
                Map<String, Map<SeriesKey, Resources>> answers = perDecision.get(d);
                boolean cpu = answers.values().stream().allMatch(m -> m.containsKey(s.key())
                        && m.get(s.key()).hasCpu());
                boolean memory = answers.values().stream().allMatch(m -> m.containsKey(s.key())
                        && m.get(s.key()).hasMemory());
                if (!cpu && !memory) {
                    continue;
                }
                long[] t = s.timestamps();
                int from = firstAtOrAfter(t, decision);
                int to = firstAtOrAfter(t, decision + DAY);
                for (Contender c : contenders) {
                    Resources answer = answers.get(c.name()).get(s.key());
                    // What is not scored for everyone is not scored for anyone, changes included.
                    Resources r = new Resources(cpu ? answer.cpuCores() : Double.NaN,
                            memory ? answer.memoryBytes() : Double.NaN);
                    if (inWindow) {
                        Scorecard card = cards.get(c.name());
                        card.add(s.cpuCores(), s.memoryBytes(), from, to, r, cpu, memory, decision, s.key());
                        card.change(previous.get(c.name()), r);
                        timelines.get(c.name()).computeIfAbsent(s.key(), k -> new ArrayList<>())
                                .add(new long[] {decision, cpu ? Quantities.cpuMillis(r.cpuCores()) : -1,
                                    memory ? (long) r.memoryBytes() : -1});
                    }
                    previous.put(c.name(), r);
                }
                scored |= inWindow;
            }
            if (scored) {
                seriesScored++;
            }
        }
        if (seriesScored == 0) {
            throw new NothingToEvaluate("nothing to score: at none of the " + decisions.stream().filter(settings::scores).count()
                    + " decisions did every"
                    + " strategy (" + String.join(", ", contenders.stream().map(Contender::name).toList())
                    + ") answer for a series' CPU or memory; strategies need enough history before a decision"
                    + " (krr 100 samples) and manual the trace's requests: try a longer --warmup or --history, or fewer strategies");
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (Contender c : contenders) {
            outcomes.add(new Outcome(c.name(), cards.get(c.name()), seriesScored, timelines.get(c.name()),
                    tally.of(c.name())));
        }
        return outcomes;
    }

    private static int firstAtOrAfter(long[] t, long x) {
        int i = Arrays.binarySearch(t, x);
        return i >= 0 ? i : -i - 1;
    }
}
