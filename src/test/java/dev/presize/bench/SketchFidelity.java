package dev.presize.bench;

import dev.presize.backtest.Backtest;
import dev.presize.history.ContainerSeries;
import dev.presize.history.HourlyAggregator;
import dev.presize.history.HourlyUsage;
import dev.presize.history.TraceReader;
import dev.presize.model.Percentiles;
import dev.presize.model.learned.CpuDistribution;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How faithfully the hourly sketches the model reads ({@link HourlyUsage}: mean, five quantiles and
 * the sample count per hour; {@link CpuDistribution}) give the two CPU risks the backtest counts on
 * the raw samples: the volume above a request and the share of samples above it. The model
 * calibrates its prices on the sketches' figures, the backtest (and a user) counts raw samples, so a
 * bias here is a bias between the calibrated and the served risk.
 *
 * <p>For every series and every whole day of the trace after two weeks, a request is set from the
 * raw samples before the day by each of a few rules of the kind a baseline or the model uses (KRR's
 * p95 of 14 days, higher quantiles and maxima of shorter pasts; never under the model's 10 m floor),
 * and the day is read both ways: raw (the baseline of this measurement) and off its hours' sketches.
 * The volume is split by whether an hour's median lies above the request ("busy" hours: the sketch
 * spreads the lower half of an hour's samples evenly between 0 and its median, so it reads part of
 * a busy hour as under the request when none of it is).
 *
 * <p>Usage: {@code SketchFidelity <trace.csv[.gz]>}. Last line:
 * {@code sketch-bench: days=N volume_ratio=<min>..<max> busy_volume_ratio=<min>..<max>
 * samples_above_ratio=<min>..<max>} (sketch over raw, over the rules).
 */
public final class SketchFidelity {

    private static final long HOUR = HourlyUsage.HOUR;
    private static final long DAY = 24 * HOUR;
    /** LearnedStrategy's default CPU floor: no request below it is ever served. */
    private static final double FLOOR_CORES = 0.010;

    /** A request rule: the {@code quantile} of the raw samples of the {@code days} before the day. */
    private record Rule(String name, int days, double quantile) {
    }

    private static final Rule[] RULES = {
        new Rule("p95-14d", 14, 0.95), new Rule("p90-3d", 3, 0.90), new Rule("p99-7d", 7, 0.99),
        new Rule("max-1d", 1, 1.0), new Rule("max-7d", 7, 1.0),
    };

    /** Per rule: raw and sketch volume (busy hours, other hours), samples above. */
    private static final class Tally {
        double rawBusy;
        double sketchBusy;
        double rawOther;
        double sketchOther;
        double rawAbove;
        double sketchAbove;
    }

    private SketchFidelity() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: SketchFidelity <trace.csv[.gz]>");
            System.exit(2);
        }
        List<ContainerSeries> trace = new TraceReader().read(Path.of(args[0]));
        // Hours aligned as the backtest aligns them, so the sketches are the model's.
        Backtest.Span span = Backtest.Span.of(trace);
        long start = span.start();
        int hours = span.hours();
        Tally[] tallies = new Tally[RULES.length];
        Arrays.setAll(tallies, i -> new Tally());
        double usage = 0;
        long samples = 0;
        long days = 0;
        for (ContainerSeries s : trace) {
            HourlyUsage u = HourlyAggregator.aggregate(s, start, hours);
            for (int day = 14 * 24; day + 24 <= hours; day += 24) {
                long from = start + day * HOUR;
                double[] next = cpu(s, from, from + DAY);
                double[] requests = new double[RULES.length];
                boolean complete = next.length > 0;
                for (int r = 0; r < RULES.length && complete; r++) {
                    double[] past = cpu(s, from - RULES[r].days() * DAY, from);
                    complete = past.length > 0;
                    requests[r] = complete ? Math.max(FLOOR_CORES, Percentiles.of(past, RULES[r].quantile())) : 0;
                }
                if (!complete) {
                    continue;
                }
                days++;
                for (double x : next) {
                    usage += x;
                }
                samples += next.length;
                for (int h = day; h < day + 24; h++) {
                    if (!u.hasCpu(h)) {
                        continue;
                    }
                    double[] raw = cpu(s, start + h * HOUR, start + (h + 1) * HOUR);
                    for (int r = 0; r < RULES.length; r++) {
                        add(tallies[r], u, h, raw, requests[r]);
                    }
                }
            }
        }
        double[] volume = {Double.MAX_VALUE, 0};
        double[] busy = {Double.MAX_VALUE, 0};
        double[] above = {Double.MAX_VALUE, 0};
        System.out.printf(Locale.ROOT, "%d series-days; CPU volume above the request as a share of usage, samples"
                + " above as a share of samples; raw = the backtest's count, sketch = the model's reading%n", days);
        for (int r = 0; r < RULES.length; r++) {
            Tally t = tallies[r];
            double raw = (t.rawBusy + t.rawOther) / usage;
            double sketch = (t.sketchBusy + t.sketchOther) / usage;
            System.out.printf(Locale.ROOT, "%-8s volume raw %.4f sketch %.4f (x%.3f): busy hours raw %.4f sketch %.4f,"
                            + " other hours raw %.4f sketch %.4f | samples above raw %.4f sketch %.4f (x%.3f)%n",
                    RULES[r].name(), raw, sketch, sketch / raw, t.rawBusy / usage, t.sketchBusy / usage,
                    t.rawOther / usage, t.sketchOther / usage, t.rawAbove / samples, t.sketchAbove / samples,
                    t.sketchAbove / t.rawAbove);
            range(volume, sketch / raw);
            range(busy, t.sketchBusy / t.rawBusy);
            range(above, t.sketchAbove / t.rawAbove);
        }
        System.out.printf(Locale.ROOT, "sketch-bench: days=%d volume_ratio=%.3f..%.3f busy_volume_ratio=%.3f..%.3f"
                + " samples_above_ratio=%.3f..%.3f%n", days, volume[0], volume[1], busy[0], busy[1], above[0], above[1]);
    }

    /** One hour at one request: raw against the sketch. */
    private static void add(Tally t, HourlyUsage u, int h, double[] raw, double request) {
        double rawUnmet = 0;
        for (double x : raw) {
            rawUnmet += Math.max(0, x - request);
            if (x > request) {
                t.rawAbove++;
            }
        }
        double sketchUnmet = CpuDistribution.unmet(u, h, h + 1, request);
        t.sketchAbove += CpuDistribution.exceedFraction(u, h, h + 1, request) * u.samples()[h];
        // cpuQuantiles()[0] is the hour's median (HourlyUsage.CPU_LEVELS[0] = 0.5).
        if (u.cpuQuantiles()[0][h] > request) {
            t.rawBusy += rawUnmet;
            t.sketchBusy += sketchUnmet;
        } else {
            t.rawOther += rawUnmet;
            t.sketchOther += sketchUnmet;
        }
    }

    private static void range(double[] minMax, double value) {
        minMax[0] = Math.min(minMax[0], value);
        minMax[1] = Math.max(minMax[1], value);
    }

    /** The series' measured CPU samples in {@code [from, to)}, ascending. */
    private static double[] cpu(ContainerSeries s, long from, long to) {
        return Percentiles.sortedKnown(s.between(from, to).cpuCores());
    }
}
