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
 * @param features  per candidate, {@link #CPU_NAMES} or {@link #MEMORY_NAMES}
 * @param risk      per candidate, the in-sample risk: CPU the recency-weighted share of samples
 *                  above it, memory the recency-weighted share of daily peaks above it
 * @param unmet     per candidate, CPU only: the recency-weighted usage above it per sample, cores
 *                  (NaN for memory)
 */
record Ladder(double[] requests, double[][] features, double[] risk, double[] unmet) {

    static final double CPU_STEP = 1.05;
    static final double MEMORY_STEP = 1.03;
    static final double TOP = 2.0;
    /** Half-life of the weights of the in-sample curve the ablation chooses with: VPA's, a day. */
    static final double HALF_LIFE_HOURS = 24;
    /** Half-lives of the in-sample curves the learned curves read (infinite = all hours alike). */
    static final double[] HALF_LIVES = {Double.POSITIVE_INFINITY, 72, 24, 6};
    static final String[] CPU_NAMES = {"log_request_to_max", "above_all", "above_3d", "above_1d", "above_6h",
        "unmet_all", "unmet_1d", "unmet_6h", "mean_last_day_to_window", "max_last_day_to_window",
        "mean_to_max", "coverage"};
    static final String[] MEMORY_NAMES = {"log_request_to_max", "log_request_to_last_peak", "above_all",
        "above_1d", "last_peak_to_max", "max_3d_to_max", "log_peak_sd", "peak_days", "median_peak_to_max"};
    static final int DAY = 24;

    int size() {
        return requests.length;
    }

    /** The CPU ladder over hours {@code [0, origin)}, or null without CPU samples there. */
    static Ladder cpu(HourlyUsage u, int origin) {
        int to = Math.min(origin, u.hours());
        double max = 0;
        double mean = 0;
        double n = 0;
        double lastMax = 0;
        double lastMean = 0;
        double lastN = 0;
        int hours = 0;
        for (int h = 0; h < to; h++) {
            if (u.hasCpu(h)) {
                int k = u.samples()[h];
                max = Math.max(max, u.cpuMax(h));
                mean += k * (double) u.cpuMean()[h];
                n += k;
                hours++;
                if (h >= to - DAY) {
                    lastMax = Math.max(lastMax, u.cpuMax(h));
                    lastMean += k * (double) u.cpuMean()[h];
                    lastN += k;
                }
            }
        }
        if (n == 0) {
            return null;
        }
        mean /= n;
        double scale = Math.max(max, Features.CPU_EPSILON);
        int steps = (int) Math.ceil(Math.log(TOP * scale / Features.CPU_EPSILON) / Math.log(CPU_STEP));
        double[] all = new double[steps + 1];
        for (int j = 0; j <= steps; j++) {
            all[j] = TOP * scale / Math.pow(CPU_STEP, steps - j);
        }
        // Weighted curves per half-life: Σ w·n·(1 − F(R)) and Σ w·n·unmet(R), over Σ w·n.
        int c = all.length;
        int hl = HALF_LIVES.length;
        double[][] above = new double[hl][c];
        double[][] unmet = new double[hl][c];
        double[] weight = new double[hl];
        for (int h = 0; h < to; h++) {
            if (!u.hasCpu(h)) {
                continue;
            }
            int k = u.samples()[h];
            double hourMax = u.cpuMax(h);
            double[] w = new double[hl];
            for (int i = 0; i < hl; i++) {
                w[i] = k * Math.pow(2, -(to - h) / HALF_LIVES[i]);
                weight[i] += w[i];
            }
            for (int j = 0; j < c && all[j] < hourMax; j++) {
                double a = 1 - CpuDistribution.cdf(u, h, all[j]);
                double m = CpuDistribution.unmetPerSample(u, h, all[j]);
                for (int i = 0; i < hl; i++) {
                    above[i][j] += w[i] * a;
                    unmet[i][j] += w[i] * m;
                }
            }
        }
        int first = 0;
        while (first < c - 1 && above[0][first] / weight[0] > 0.5) {
            first++;
        }
        int size = c - first;
        double[] requests = Arrays.copyOfRange(all, first, c);
        double[][] features = new double[size][];
        double[] risk = new double[size];
        double[] unmetOut = new double[size];
        int main = indexOf(HALF_LIFE_HOURS);
        double context1 = lastN == 0 ? 0 : Math.log(Math.max(lastMean / lastN, Features.CPU_EPSILON)
                / Math.max(mean, Features.CPU_EPSILON));
        double context2 = Math.log(Math.max(lastMax, Features.CPU_EPSILON) / scale);
        double context3 = Math.log(Math.max(mean, Features.CPU_EPSILON) / scale);
        double coverage = hours / (double) Math.max(1, to);
        for (int s = 0; s < size; s++) {
            int j = first + s;
            double r = all[j];
            risk[s] = above[main][j] / weight[main];
            unmetOut[s] = unmet[main][j] / weight[main];
            features[s] = new double[] {Math.log(r / scale), above[0][j] / weight[0], above[1][j] / weight[1],
                above[2][j] / weight[2], above[3][j] / weight[3], unmet[0][j] / weight[0] / r,
                unmet[2][j] / weight[2] / r, unmet[3][j] / weight[3] / r, context1, context2, context3, coverage};
        }
        return new Ladder(requests, features, risk, unmetOut);
    }

    /** The memory ladder over the daily peaks of hours {@code [0, origin)}, or null without memory samples. */
    static Ladder memory(HourlyUsage u, int origin) {
        int to = Math.min(origin, u.hours());
        int days = (to + DAY - 1) / DAY;
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
        double[] logs = new double[known];
        double[] ages = new double[known];
        double max = 0;
        double max3 = 0;
        double last = Double.NaN;
        int n = 0;
        for (int d = 0; d < days; d++) {
            if (!Double.isNaN(peaks[d])) {
                double p = Math.max(peaks[d], Features.MEMORY_EPSILON);
                if (Double.isNaN(last)) {
                    last = p;
                }
                max = Math.max(max, p);
                if (d < 3) {
                    max3 = Math.max(max3, p);
                }
                logs[n] = Math.log(p);
                ages[n++] = d;
            }
        }
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
        if (max3 == 0) {
            max3 = last;
        }
        int steps = (int) Math.ceil(Math.log(TOP / 0.25) / Math.log(MEMORY_STEP));
        double[] requests = new double[steps + 1];
        double[][] features = new double[steps + 1][];
        double[] risk = new double[steps + 1];
        double[] unmet = new double[steps + 1];
        Arrays.fill(unmet, Double.NaN);
        for (int j = 0; j <= steps; j++) {
            double r = TOP * max / Math.pow(MEMORY_STEP, steps - j);
            double all = 0;
            double recent = 0;
            double recentWeight = 0;
            for (int i = 0; i < known; i++) {
                double w = Math.pow(2, -ages[i] * DAY / HALF_LIFE_HOURS);
                recentWeight += w;
                if (Math.exp(logs[i]) > r) {
                    all++;
                    recent += w;
                }
            }
            requests[j] = r;
            risk[j] = recent / recentWeight;
            features[j] = new double[] {Math.log(r / max), Math.log(r / last), all / known, risk[j],
                Math.log(last / max), Math.log(max3 / max), sd, known / 14.0, Math.log(median / max)};
        }
        return new Ladder(requests, features, risk, unmet);
    }

    private static int indexOf(double halfLife) {
        for (int i = 0; i < HALF_LIVES.length; i++) {
            if (HALF_LIVES[i] == halfLife) {
                return i;
            }
        }
        throw new IllegalArgumentException("no half-life " + halfLife);
    }
}
