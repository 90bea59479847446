package dev.presize.model.learned;

import dev.presize.history.HourlyUsage;
import java.util.Arrays;

/**
 * One container's candidate requests for one resource at one origin, with what its own past says
 * of each (the in-sample risk curve) and the scale-free features the learned risk curves read. The
 * candidates are a geometric ladder relative to the window's largest usage, so that one global
 * regressor sees a 10-millicore sidecar and a 16-core database on the same axis; the ladder keeps
 * only candidates that can matter at the targets a user sets (at or above the past median, at most
 * twice the past maximum).
 *
 * @param requests  candidate requests, ascending (cores or bytes)
 * @param risk      per candidate, the in-sample risk: CPU the recency-weighted share of samples
 *                  above it; memory the chance that tomorrow's peak exceeds it, for a Laplace random
 *                  walk from the larger of the last two daily peaks with the container's own
 *                  day-to-day spread
 * @param unmet     per candidate, CPU only: the recency-weighted usage above it per sample, cores
 *                  (NaN for memory)
 * @param context   memory: the container's features for the learned curve, {@link #MEMORY_CONTEXT};
 *                  null for CPU
 * @param hoursAbove memory: per candidate, the log-odds of the share of the last
 *                  {@link #HOURS_ABOVE_DAYS} days' hourly peaks above it (a feature of the learned
 *                  curve); null for CPU
 * @param floor     memory: the smallest request a choice may take ({@link #floor(HourlyUsage, int)}:
 *                  shares of the highest memory of the last days before the origin); NaN for CPU
 */
record Ladder(double[] requests, double[] risk, double[] unmet, double[] context, double[] hoursAbove, double floor) {

    static final double CPU_STEP = 1.05;
    static final double MEMORY_STEP = 1.03;
    static final double TOP = 2.0;
    /** Half-life of the weights of the CPU curves: VPA's, a day. */
    static final double HALF_LIFE_HOURS = 24;
    static final int DAY = 24;
    /**
     * A quiet day: the last day's mean CPU use under this share of the mean over the six days before
     * it (a weekend, a holiday, a paused job). On the dev trace a quarter of such container-days
     * are followed by a day back at 60 % of the week's level or more, and those returns carry 9 %
     * of the CPU used on the days after a whole week (`bench/backtest/run quiet`). Read at the 24 h
     * half-life alone, the quiet day holds half the curves' weight and the requests come down for
     * quiet; when many containers come back at once, a day's volume above the requests is many
     * times the target (15 and 16 September 2013 on the dev trace, docs/model-record.md, "A quiet
     * day"), more than a cluster-wide price calibrated on calmer days allows for. What it costs and buys on each
     * bench is in docs/model-record.md ("Reading only a lull's first day").
     */
    static final double QUIET_RATIO = 0.3;
    /**
     * A quiet day counts as a quarter of a day: its hours weigh a quarter, and the hours before it
     * age by a quarter of a day across it, so it holds about an eighth of the curves' weight instead
     * of half. Only the first quiet day of a lull is read so, and only while it is the last day: the
     * next day reads it at its full weight, so a lull that lasts brings the requests down a day
     * later than the half-life alone would, and no later. Read on every quiet day, a lull of
     * several days kept the requests up for as many days: half of the dev trace's quiet days follow
     * a quiet day, and those are followed by a return less often (0.22 against 0.30,
     * `bench/backtest/run quiet`), and the whole trace paid about 1 % of CPU slack at equal risk
     * for it (docs/model-record.md, "Reading only a lull's first day").
     */
    static final double QUIET_WEIGHT = 0.25;
    /**
     * The container's past as the learned memory curve reads it. Nothing that measures how much
     * history there is (such as the number of daily peaks): training origins lie 1 to 11 days back
     * in the window, so their pasts are 1 to 11 days shorter than the served decision's, and a
     * linear model extrapolates such a feature beyond every row it saw (in an offline replica of the
     * pipeline the served risk came out well above the calibrated one with it).
     */
    static final String[] MEMORY_CONTEXT = {"log_spread", "last_peak_to_max", "max_3d_to_max", "log_peak_sd",
        "median_peak_to_max", "center_to_max"};
    static final double BOTTOM = 0.25;
    /**
     * No memory request under this share of the container's highest memory of the last
     * {@link #RECENT_FLOOR_DAYS} days, nor under {@link #MEMORY_FLOOR} of its last
     * {@link #FLOOR_DAYS} days' highest. Memory's risk target counts the days a request is
     * exceeded, not by how much, and the prices put those days where headroom is dearest: without a
     * floor, on the dev trace at VPA's risks the model's exceeded days had a median request of 0.62
     * of the day's peak (VPA's 0.84), one container was exceeded on 56 of its days, and 0.182 of
     * the days' peaks lay above the requests against VPA's 0.053 (mem_unmet_peak_ratio). Pods that
     * far over their memory requests are the kubelet's first eviction victims when a node runs
     * short. Near the last three days' highest, a day that is exceeded is exceeded by little unless
     * memory surges past it; the week's share bounds how deep after memory came down. A single
     * floor at 0.8 of the fortnight's highest (c7b7f05) held memory days well under their target
     * at VPA's risks (0.0515 against 0.0666) and still tied VPA on memory slack and depth: it held
     * up for a fortnight the requests of containers whose memory had come down. These two shares
     * and windows were read off the dev trace on a grid (docs/model-record.md, "What a floor does"):
     * constants, not calibrated, and a trade: under VPA's depth at VPA's risks (0.0478 against 0.0527), but
     * twice KRR's at KRR's risks (the fortnight's floor: 1.5 times) and 1.09 times KRR's at the
     * defaults (the fortnight's floor: under it); no floor on the grid came under KRR's depth at
     * KRR's risks for less memory slack than KRR's. The learned curve still reads, and trains on,
     * the candidates below the floor.
     */
    static final double RECENT_FLOOR = 0.95;
    /** The days whose highest memory {@link #RECENT_FLOOR} reads. */
    static final int RECENT_FLOOR_DAYS = 3;
    /** No memory request under this share of the container's highest of the last {@link #FLOOR_DAYS} days. */
    static final double MEMORY_FLOOR = 0.7;
    /** The days whose highest memory {@link #MEMORY_FLOOR} reads: the ladder's week ({@link #PAST_DAYS}). */
    static final int FLOOR_DAYS = 7;
    /**
     * The days of hourly peaks the learned memory curve counts above each candidate. The daily
     * peaks say how high memory went, not for how long: a candidate the last days' peaks passed
     * for an hour each is passed again more rarely than one they stayed above for hours. Five days,
     * not the ladder's week: the calibration origins lie 1 to 11 days back in a two-week window, so
     * a week is cut short at those more than 7 days back while the served decision's never is, and
     * with a week the served risk came out 7 % over the target at KRR's memory risk on
     * the dev trace (6.15 of memory slack at 0.0249 of container-days against the 0.0233 target);
     * with five days, which only the 2 oldest origins lack, it held it (docs/model-record.md, "What
     * the Tribuo part does"); with three, it held too but bought nothing.
     */
    static final int HOURS_ABOVE_DAYS = 5;
    /**
     * Daily peaks the memory ladder reads: the last week's (every weekday once). The calibration
     * origins lie 1 to 11 days back in the --history window, so with the whole window their pasts
     * were 1 to 11 days shorter than the served decision's, and prices calibrated on them held
     * less risk on the served day than on the calibration days; with a week, all origins but
     * the 4 oldest see as long a past as the served decision (bench/backtest/run tables, README).
     */
    static final int PAST_DAYS = 7;
    /** The memory ladder's candidates below its anchor, the past peak. */
    static final int MEMORY_BELOW = (int) Math.ceil(Math.log(1 / BOTTOM) / Math.log(MEMORY_STEP));
    /**
     * What the learned memory curve reads for one candidate R: the in-sample curve's log-odds (so
     * that it is a correction of the container's own curve, not a replacement), R relative to the
     * past peak and the last three days' peak (in log, in units of the container's spread, and their
     * parts above 1: the past peak is where most containers' peaks stop, the odds change slope there),
     * relative to the last peak, how often the last days' hours went above it
     * ({@link #HOURS_ABOVE_DAYS}), then the container's {@link #MEMORY_CONTEXT}.
     */
    static final String[] MEMORY_CURVE = curveNames();
    /** Smallest spread of a memory forecast: a flat series still moves by a page now and then. */
    static final double MIN_SPREAD = 0.005;
    /** Spread of a container with a single daily peak: nothing to measure it on, so a wide one. */
    static final double UNKNOWN_SPREAD = 0.1;
    /**
     * Daily peaks (two day-to-day moves) below which the measured spread is floored at
     * {@link #UNKNOWN_SPREAD}. A calibration origin has 3 days of history before it
     * (LearnedStrategy.Settings#minHistoryHours), so only a younger container, or one whose memory
     * went unmeasured most days, has fewer.
     */
    static final int MIN_PEAKS_FOR_SPREAD = 3;

    /**
     * The smallest candidate whose curves hold {@code riskTarget} and at most {@code unmetLimit} of
     * usage above it per sample (a NaN unmet, memory's, holds any limit); the top one when none
     * does. The choice without prices: the cold start's CPU, a young container's memory floor.
     */
    static int smallestHolding(double[] risk, double[] unmet, double riskTarget, double unmetLimit) {
        for (int j = 0; j < risk.length; j++) {
            if (risk[j] <= riskTarget && (Double.isNaN(unmet[j]) || unmet[j] <= unmetLimit)) {
                return j;
            }
        }
        return risk.length - 1;
    }

    /**
     * P(X &gt; z) for a Laplace variable of scale {@code b} centred at 0: tomorrow's log peak relative
     * to the centre. Laplace, not normal: memory moves by jumps (a deployment, a cache filling up),
     * and the normal's thin tail reads a jump as impossible. (A version with separate chances and
     * sizes of rises and falls was measured worse on the dev trace: its in-sample curve was too
     * sure of flat containers for the calibration to correct.)
     */
    static double laplaceAbove(double z, double b) {
        return z > 0 ? 0.5 * Math.exp(-z / b) : 1 - 0.5 * Math.exp(z / b);
    }

    int size() {
        return requests.length;
    }

    /**
     * The first candidate a choice may take: the smallest at or above the {@link #floor} (0 without
     * one; the top if the floor were above the ladder, which reads the same week's peaks).
     */
    int firstChoice() {
        int j = 0;
        while (j < requests.length - 1 && requests[j] < floor) {
            j++;
        }
        return j;
    }

    /**
     * Each of {@code perCandidate} (one value per candidate) from {@link #firstChoice} on: what a
     * choice reads, in the calibration's replay and in serving alike.
     */
    double[][] choosable(double[]... perCandidate) {
        int first = firstChoice();
        double[][] out = new double[perCandidate.length][];
        for (int i = 0; i < out.length; i++) {
            double[] a = perCandidate[i];
            out[i] = first == 0 ? a : Arrays.copyOfRange(a, first, a.length);
        }
        return out;
    }

    private static String[] curveNames() {
        String[] own = {"in_sample_log_odds", "log_r_to_max", "log_r_above_max", "log_r_to_max_in_spreads",
            "log_r_to_max_3d", "log_r_above_max_3d", "log_r_to_last", "hours_above_log_odds"};
        String[] names = Arrays.copyOf(own, own.length + MEMORY_CONTEXT.length);
        System.arraycopy(MEMORY_CONTEXT, 0, names, own.length, MEMORY_CONTEXT.length);
        return names;
    }

    /** The {@link #MEMORY_CURVE} features of memory candidate {@code j}. */
    double[] memoryFeatures(int j) {
        double p = Math.max(1e-6, Math.min(1 - 1e-6, risk[j]));
        double toMax = Math.log(requests[j] / requests[MEMORY_BELOW]);
        double toMax3 = toMax - context[2];
        double spread = Math.exp(context[0]);
        double[] x = new double[MEMORY_CURVE.length];
        x[0] = Math.log(p / (1 - p));
        x[1] = toMax;
        x[2] = Math.max(0, toMax);
        x[3] = Math.max(-20, Math.min(20, toMax / spread));
        x[4] = toMax3;
        x[5] = Math.max(0, toMax3);
        x[6] = toMax - context[1];
        x[7] = hoursAbove[j];
        System.arraycopy(context, 0, x, 8, context.length);
        return x;
    }

    /**
     * The CPU ladder over hours {@code [0, origin)}, or null without CPU samples there. Its curves
     * are the container's own samples, recency-weighted with VPA's half-life: the hourly sketches'
     * mixture, each hour weighted by its samples and by 2^(−age / half-life). No candidate lies
     * under {@code floor}, the smallest CPU request the model serves
     * ({@link LearnedStrategy.Settings#cpuFloorCores}, 10m): the candidates under it are one
     * candidate at the floor, with the floor's own curves, so that a choice priced, pooled or
     * replayed on the ladder is the request served and carries that request's risk. With the steps
     * under the floor on the ladder and the floor applied after the choice, the calibration and the
     * cold start's level counted risk that the served floor covered: a quarter of the dev trace's
     * container-days use under 10m at their 90th percentile ({@code bench/backtest/run floor};
     * docs/model-record.md, "No CPU candidate under the floor").
     */
    static Ladder cpu(HourlyUsage u, int origin, double floor) {
        return cpu(u, CpuDistribution.hours(u, 0, origin), origin, floor);
    }

    /**
     * {@link #cpu(HourlyUsage, int, double)} with the hours already read: {@code hours[h]} is slot h's, for
     * every slot before the origin (the calibration reads eleven origins' ladders off one window).
     */
    static Ladder cpu(HourlyUsage u, CpuDistribution.Hour[] hours, int origin, double floor) {
        int to = Math.min(origin, u.hours());
        double max = 0;
        for (int h = 0; h < to; h++) {
            if (u.hasCpu(h)) {
                max = Math.max(max, u.cpuMax(h));
            }
        }
        if (CpuDistribution.samples(u, 0, to) == 0) {
            return null;
        }
        double scale = Math.max(max, Features.CPU_EPSILON);
        // Anchored at the past maximum, so that a container that never varies is offered exactly its level.
        int below = (int) Math.ceil(Math.log(scale / Features.CPU_EPSILON) / Math.log(CPU_STEP));
        int c = below + (int) Math.ceil(Math.log(TOP) / Math.log(CPU_STEP)) + 1;
        double[] all = new double[c];
        for (int j = 0; j < c; j++) {
            all[j] = scale * Math.pow(CPU_STEP, j - below);
        }
        double[] weights = cpuWeights(u, to);
        double weight = 0;
        for (double w : weights) {
            weight += w;
        }
        // Candidates below the median are never the cheapest at the targets a user sets: dropped.
        // The share above falls with the candidate, so the median's step is found by bisection and
        // only the candidates from it up are read off every hour: most of a ladder anchored at 1
        // millicore lies below the median, and reading it all was most of a refresh's training.
        int lo = 0;
        int hi = c - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (above(u, hours, weights, to, all[mid]) / weight > 0.5) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int first = lo;
        // The candidates under the floor become one at the floor (the method comment).
        int atFloor = first;
        while (atFloor < c && all[atFloor] < floor) {
            atFloor++;
        }
        if (atFloor > first && (atFloor == c || all[atFloor] > floor)) {
            first = atFloor - 1;
            all[first] = floor;
        } else {
            first = atFloor;
        }
        int size = c - first;
        double[] risk = new double[size];
        double[] unmetOut = new double[size];
        for (int h = 0; h < to; h++) {
            if (weights[h] == 0) {
                continue;
            }
            double w = weights[h];
            double hourMax = u.cpuMax(h);
            CpuDistribution.Hour hour = hours[h];
            // Candidates at or above the hour's maximum have nothing above them in that hour. The
            // candidates ascend, so each one's segment of the hour is searched from the last one's.
            CpuDistribution.Reader read = hour.reader();
            for (int j = first; j < c && all[j] < hourMax; j++) {
                read.at(all[j]);
                risk[j - first] += w * (1 - read.cdf());
                unmetOut[j - first] += w * read.unmetPerSample();
            }
        }
        for (int j = 0; j < size; j++) {
            risk[j] /= weight;
            unmetOut[j] /= weight;
        }
        return new Ladder(Arrays.copyOfRange(all, first, c), risk, unmetOut, null, null, Double.NaN);
    }

    /**
     * Each hour's weight in the CPU curves over hours {@code [0, to)}: its samples, halved every
     * {@link #HALF_LIFE_HOURS} of age, where a {@link #quiet} last day after a day that was not
     * quiet counts as {@link #QUIET_WEIGHT} of a day.
     */
    private static double[] cpuWeights(HourlyUsage u, int to) {
        boolean quiet = quiet(u, to) && !quiet(u, to - DAY);
        double[] weights = new double[to];
        for (int h = 0; h < to; h++) {
            if (u.hasCpu(h)) {
                double age = to - h;
                double weight = u.samples()[h];
                if (quiet && age <= DAY) {
                    weight *= QUIET_WEIGHT;
                } else if (quiet) {
                    age -= DAY * (1 - QUIET_WEIGHT);
                }
                weights[h] = weight * Math.pow(2, -age / HALF_LIFE_HOURS);
            }
        }
        return weights;
    }

    /**
     * Whether the day before {@code to} was quiet: its mean CPU use under {@link #QUIET_RATIO} of
     * the mean over the six days before it, read only when the window holds that week (the
     * calibration's oldest origins, and a young cluster, read their hours as they are).
     */
    static boolean quiet(HourlyUsage u, int to) {
        if (to < PAST_DAYS * DAY) {
            return false;
        }
        int lastSamples = CpuDistribution.samples(u, to - DAY, to);
        int weekSamples = CpuDistribution.samples(u, to - PAST_DAYS * DAY, to - DAY);
        return lastSamples > 0 && weekSamples > 0
            && CpuDistribution.usage(u, to - DAY, to) / lastSamples
                < QUIET_RATIO * CpuDistribution.usage(u, to - PAST_DAYS * DAY, to - DAY) / weekSamples;
    }

    /**
     * The CPU usage per sample over hours {@code [0, origin)}, weighted as the CPU curves are, so
     * that a candidate's {@link #unmet} divided by it is the share of the usage above the candidate
     * the curves read; 0 without CPU samples.
     */
    static double cpuMean(HourlyUsage u, int origin) {
        int to = Math.min(origin, u.hours());
        double[] weights = cpuWeights(u, to);
        double weight = 0;
        double usage = 0;
        for (int h = 0; h < to; h++) {
            if (weights[h] != 0) {
                weight += weights[h];
                usage += weights[h] * u.cpuMean()[h];
            }
        }
        return weight == 0 ? 0 : usage / weight;
    }

    /** The weighted samples above {@code request}, over hours {@code [0, to)}. */
    private static double above(HourlyUsage u, CpuDistribution.Hour[] hours, double[] weights, int to, double request) {
        double sum = 0;
        for (int h = 0; h < to; h++) {
            if (weights[h] != 0 && request < u.cpuMax(h)) {
                sum += weights[h] * (1 - hours[h].cdf(request));
            }
        }
        return sum;
    }

    /** The memory ladder over the daily peaks of hours {@code [0, origin)}, or null without memory samples. */
    static Ladder memory(HourlyUsage u, int origin) {
        int to = Math.min(origin, u.hours());
        int days = (to + DAY - 1) / DAY;
        // A container whose memory metric went missing for the last week is still sized from what
        // the window holds, not left without a memory recommendation.
        if (days > PAST_DAYS && !Double.isNaN(Features.maxMemory(u, to - PAST_DAYS * DAY, to))) {
            days = PAST_DAYS;
        }
        double[] peaks = new double[days]; // peaks[d]: the day ending d days before the origin
        int known = 0;
        for (int d = 0; d < days; d++) {
            double p = Features.maxMemory(u, Math.max(0, to - (d + 1) * DAY), to - d * DAY);
            peaks[d] = p;
            if (!Double.isNaN(p)) {
                known++;
            }
        }
        if (known == 0) {
            return null;
        }
        double[] logs = new double[known]; // newest first
        double max = 0;
        double max3 = 0;
        int n = 0;
        for (int d = 0; d < days; d++) {
            if (!Double.isNaN(peaks[d])) {
                double p = Math.max(peaks[d], Features.MEMORY_EPSILON);
                max = Math.max(max, p);
                if (d < 3) {
                    max3 = Math.max(max3, p);
                }
                logs[n++] = Math.log(p);
            }
        }
        double last = Math.exp(logs[0]);
        double center = known > 1 ? Math.max(last, Math.exp(logs[1])) : last;
        if (max3 == 0) {
            max3 = last;
        }
        // The spread: mean absolute day-to-day move of the log peak (the Laplace scale's estimate).
        double spread = 0;
        for (int i = 1; i < known; i++) {
            spread += Math.abs(logs[i - 1] - logs[i]);
        }
        // One day-to-day move is no measure of the spread (two equal peaks would read as a flat
        // container): below MIN_PEAKS_FOR_SPREAD peaks, at least the spread of a container with one.
        spread = known >= MIN_PEAKS_FOR_SPREAD ? Math.max(MIN_SPREAD, spread / (known - 1))
                : known > 1 ? Math.max(UNKNOWN_SPREAD, spread / (known - 1)) : UNKNOWN_SPREAD;
        double mean = 0;
        for (double l : logs) {
            mean += l;
        }
        mean /= known;
        double sd = 0;
        for (double l : logs) {
            sd += (l - mean) * (l - mean);
        }
        sd = Math.sqrt(sd / known);
        double[] sorted = logs.clone();
        Arrays.sort(sorted);
        double median = Math.exp(sorted[known / 2]);
        // Anchored at the past peak, so that a container that never moves is offered exactly its peak.
        int below = MEMORY_BELOW;
        int above = (int) Math.ceil(Math.log(TOP) / Math.log(MEMORY_STEP));
        int size = below + above + 1;
        double[] requests = new double[size];
        double[] risk = new double[size];
        double[] unmet = new double[size];
        Arrays.fill(unmet, Double.NaN);
        for (int j = 0; j < size; j++) {
            requests[j] = max * Math.pow(MEMORY_STEP, j - below);
            risk[j] = laplaceAbove(Math.log(requests[j] / center), spread);
        }
        double[] context = {Math.log(spread), Math.log(last / max), Math.log(max3 / max), sd,
            Math.log(median / max), Math.log(center / max)};
        double floor = floor(u, to);
        return new Ladder(requests, risk, unmet, context, hoursAbove(u, to - HOURS_ABOVE_DAYS * DAY, to, requests), floor);
    }

    /**
     * The smallest memory request a choice may take at slot {@code to}: the larger of
     * {@link #RECENT_FLOOR} of the last {@link #RECENT_FLOOR_DAYS} days' highest memory and
     * {@link #MEMORY_FLOOR} of the last {@link #FLOOR_DAYS} days'; a window without memory samples
     * sets none (NaN when neither has any).
     */
    static double floor(HourlyUsage u, int to) {
        double recent = RECENT_FLOOR * Features.maxMemory(u, Math.max(0, to - RECENT_FLOOR_DAYS * DAY), to);
        double week = MEMORY_FLOOR * Features.maxMemory(u, Math.max(0, to - FLOOR_DAYS * DAY), to);
        return Double.isNaN(recent) ? week : Double.isNaN(week) ? recent : Math.max(recent, week);
    }

    /**
     * Per candidate, the log-odds of the share of the known hourly memory peaks in hours
     * {@code [from, to)} above it, with half a count added to each side so that a candidate no hour
     * passed (or every hour did) reads a finite value that still falls with the hours counted.
     */
    private static double[] hoursAbove(HourlyUsage u, int from, int to, double[] requests) {
        float[] peaks = u.memoryMax();
        int[] above = new int[requests.length];
        int hours = 0;
        for (int h = Math.max(0, from); h < Math.min(to, peaks.length); h++) {
            if (Float.isNaN(peaks[h])) {
                continue;
            }
            hours++;
            // The candidates are ascending: those below this hour's peak are a prefix.
            for (int j = 0; j < requests.length && requests[j] < peaks[h]; j++) {
                above[j]++;
            }
        }
        double[] logOdds = new double[requests.length];
        for (int j = 0; j < requests.length; j++) {
            double share = (above[j] + 0.5) / (hours + 1.0);
            logOdds[j] = Math.log(share / (1 - share));
        }
        return logOdds;
    }
}
