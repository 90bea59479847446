package dev.presize.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Whether other containers' memory days say something about a container's next one: the last
 * direction the bounds of {@link MemoryBound} left open (a signal beyond the container's own past,
 * other than a cluster-wide one, which {@code day_line} bounds).
 *
 * <p>The trace's scored days are split in two halves. Containers are grouped by how their days
 * exceeded one rule (the last 3 days' highest × about 1) moved together in the first half (k-means on
 * each container's days exceeded less the cluster's that day). On the second half, with one price
 * on days exceeded and factors chosen in hindsight on the 3-day rule:
 * <ul>
 *   <li>what knowing each group's day would be worth: one factor per group and day, against the
 *       same number of random groups (whose gain is the luck of choosing that many factors on the
 *       days scored) and one factor per day for the cluster;</li>
 *   <li>what yesterday's days of the group say, as a rule could use them: one factor per quintile of
 *       the share of the container's group-mates exceeded yesterday; the same with the container's
 *       own yesterday; and per quintile of the whole cluster's share, against one factor for all
 *       and against as many factors on a random key (the budget one factor's grid step leaves
 *       unspent, which any few factors spend). A handful of factors chosen on some ten thousand
 *       container-days: almost no luck in them.</li>
 * </ul>
 */
final class PeerGroups {

    /** The 3-day window of {@link MemoryBound#WINDOWS}. */
    static final int WINDOW = 1;
    static final int GROUPS = 10;
    static final int ITERATIONS = 50;
    static final int QUINTILES = 5;

    private PeerGroups() {
    }

    /** One report line and one {@code memory-peers:} summary line for a target of days exceeded. */
    static String report(String name, MemoryBound.Costs costs, double target) {
        int rule = WINDOW * MemoryBound.FACTORS + MemoryBound.GRID.nearest(1.0);
        int[] span = span(costs);
        int middle = (span[0] + span[1] + 1) / 2;
        int days = costs.days();
        int n = costs.containers();
        int[] groups = byPattern(costs, rule, span[0], middle, GROUPS, 1);
        int[] random = random(n, GROUPS, 2);
        double[][] peers = shareYesterday(costs, rule, groups);
        double[][] cluster = shareYesterday(costs, rule, new int[n]);
        // The cuts from the first half, as a rule would have them before the days it sizes.
        double[] peerCuts = quintiles(peers, costs, span[0], middle);
        double[] clusterCuts = quintiles(cluster, costs, span[0], middle);
        MemoryBound.Result line = costs.groupLine(WINDOW, target, 1, (c, d) -> d >= middle ? 0 : -1);
        MemoryBound.Result day = costs.groupLine(WINDOW, target, days, (c, d) -> d >= middle ? d : -1);
        MemoryBound.Result groupDay = costs.groupLine(WINDOW, target, GROUPS * days,
                (c, d) -> d >= middle ? groups[c] * days + d : -1);
        MemoryBound.Result randomDay = costs.groupLine(WINDOW, target, GROUPS * days,
                (c, d) -> d >= middle ? random[c] * days + d : -1);
        MemoryBound.Result container = costs.groupLine(WINDOW, target, n, (c, d) -> d >= middle ? c : -1);
        MemoryBound.Result peersYesterday = costs.groupLine(WINDOW, target, QUINTILES + 1,
                (c, d) -> d >= middle ? key(peers[c][d], peerCuts) : -1);
        MemoryBound.Result peersAndOwn = costs.groupLine(WINDOW, target, 2 * (QUINTILES + 1),
                (c, d) -> d >= middle ? key(peers[c][d], peerCuts) * 2 + (costs.exceeded(rule, c, d - 1) ? 1 : 0) : -1);
        MemoryBound.Result clusterYesterday = costs.groupLine(WINDOW, target, QUINTILES + 1,
                (c, d) -> d >= middle ? key(cluster[c][d], clusterCuts) : -1);
        // The same number of factors on random container-days: what choosing them spends of the
        // days' budget that one factor's grid step leaves, with no signal in them.
        int[][] noise = new int[n][days];
        Random draw = new Random(3);
        for (int[] row : noise) {
            for (int d = 0; d < days; d++) {
                row[d] = draw.nextInt(QUINTILES + 1);
            }
        }
        MemoryBound.Result randomKey = costs.groupLine(WINDOW, target, QUINTILES + 1,
                (c, d) -> d >= middle ? noise[c][d] : -1);
        return String.format(Locale.ROOT, "%s at %.4f of container-days, peers (%d groups by the days %d to %d,"
                + " scored on %d to %d, 3-day rule): line %s, a factor per day %s, per group and day %s, per random"
                + " group and day %s, per container %s; by the group's share exceeded yesterday %s, with the"
                + " container's own yesterday %s, by the cluster's share yesterday %s, by a random key of as many values %s%n"
                + "memory-peers: name=%s target=%.4f line=%.3f day=%.3f group_day=%.3f random_group_day=%.3f"
                + " container=%.3f peers_yesterday=%.3f peers_own_yesterday=%.3f cluster_yesterday=%.3f random_key=%.3f",
                name, target, GROUPS, span[0], middle - 1, middle, span[1], line, day, groupDay, randomDay, container,
                peersYesterday, peersAndOwn, clusterYesterday, randomKey, name, target, line.slack(), day.slack(),
                groupDay.slack(), randomDay.slack(), container.slack(), peersYesterday.slack(), peersAndOwn.slack(),
                clusterYesterday.slack(), randomKey.slack());
    }

    /** The first and last scored day of the trace. */
    static int[] span(MemoryBound.Costs costs) {
        int first = Integer.MAX_VALUE;
        int last = -1;
        for (int c = 0; c < costs.containers(); c++) {
            for (int d = 0; d < costs.days(); d++) {
                if (costs.scored(c, d)) {
                    first = Math.min(first, d);
                    last = Math.max(last, d);
                }
            }
        }
        return new int[] {first, last};
    }

    /**
     * k-means (k-means++ seeding from {@code seed}) on each container's days exceeded by {@code rule}
     * on days {@code from} to {@code to − 1}, less the cluster's share that day (0 where not scored).
     */
    static int[] byPattern(MemoryBound.Costs costs, int rule, int from, int to, int k, long seed) {
        int n = costs.containers();
        int len = Math.max(0, to - from);
        double[][] x = new double[n][len];
        for (int d = from; d < to; d++) {
            double share = 0;
            int count = 0;
            for (int c = 0; c < n; c++) {
                if (costs.scored(c, d)) {
                    share += costs.exceeded(rule, c, d) ? 1 : 0;
                    count++;
                }
            }
            share = count == 0 ? 0 : share / count;
            for (int c = 0; c < n; c++) {
                x[c][d - from] = costs.scored(c, d) ? (costs.exceeded(rule, c, d) ? 1 : 0) - share : 0;
            }
        }
        return kMeans(x, Math.min(k, n), new Random(seed));
    }

    static int[] kMeans(double[][] x, int k, Random random) {
        int n = x.length;
        double[][] centres = new double[k][];
        centres[0] = x[random.nextInt(n)].clone();
        double[] nearest = new double[n];
        for (int i = 1; i < k; i++) {
            double total = 0;
            for (int c = 0; c < n; c++) {
                nearest[c] = Double.MAX_VALUE;
                for (int j = 0; j < i; j++) {
                    nearest[c] = Math.min(nearest[c], distance(x[c], centres[j]));
                }
                total += nearest[c];
            }
            double pick = random.nextDouble() * total;
            int chosen = n - 1;
            for (int c = 0; c < n; c++) {
                pick -= nearest[c];
                if (pick < 0) {
                    chosen = c;
                    break;
                }
            }
            centres[i] = x[chosen].clone();
        }
        int[] label = new int[n];
        for (int it = 0; it < ITERATIONS; it++) {
            for (int c = 0; c < n; c++) {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (distance(x[c], centres[j]) < distance(x[c], centres[best])) {
                        best = j;
                    }
                }
                label[c] = best;
            }
            for (int j = 0; j < k; j++) {
                double[] sum = new double[x[0].length];
                int members = 0;
                for (int c = 0; c < n; c++) {
                    if (label[c] == j) {
                        members++;
                        for (int t = 0; t < sum.length; t++) {
                            sum[t] += x[c][t];
                        }
                    }
                }
                if (members > 0) {
                    for (int t = 0; t < sum.length; t++) {
                        sum[t] /= members;
                    }
                    centres[j] = sum;
                }
            }
        }
        return label;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }

    /** Groups of (nearly) equal size in a random order: the same number of factors, no pattern. */
    static int[] random(int n, int k, long seed) {
        Integer[] order = new Integer[n];
        for (int c = 0; c < n; c++) {
            order[c] = c;
        }
        java.util.Collections.shuffle(Arrays.asList(order), new Random(seed));
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[order[i]] = i % k;
        }
        return label;
    }

    /**
     * [c][d]: the share of container c's group-mates (itself left out) whose replayed day d − 1
     * exceeded {@code rule}; NaN when none was replayed that day.
     */
    static double[][] shareYesterday(MemoryBound.Costs costs, int rule, int[] groups) {
        int n = costs.containers();
        int days = costs.days();
        int k = Arrays.stream(groups).max().orElse(0) + 1;
        double[][] share = new double[n][days];
        for (int d = 0; d < days; d++) {
            double[] exceeded = new double[k];
            double[] replayed = new double[k];
            for (int c = 0; c < n; c++) {
                if (costs.replayed(c, d - 1)) {
                    replayed[groups[c]]++;
                    exceeded[groups[c]] += costs.exceeded(rule, c, d - 1) ? 1 : 0;
                }
            }
            for (int c = 0; c < n; c++) {
                boolean self = costs.replayed(c, d - 1);
                double others = replayed[groups[c]] - (self ? 1 : 0);
                double over = exceeded[groups[c]] - (self && costs.exceeded(rule, c, d - 1) ? 1 : 0);
                share[c][d] = others > 0 ? over / others : Double.NaN;
            }
        }
        return share;
    }

    /** The cuts between quintiles of the shares over the scored container-days {@code from} to {@code to − 1}. */
    static double[] quintiles(double[][] share, MemoryBound.Costs costs, int from, int to) {
        double[] values = new double[costs.containers() * costs.days()];
        int count = 0;
        for (int c = 0; c < costs.containers(); c++) {
            for (int d = from; d < Math.min(to, costs.days()); d++) {
                if (costs.scored(c, d) && !Double.isNaN(share[c][d])) {
                    values[count++] = share[c][d];
                }
            }
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        double[] cuts = new double[QUINTILES - 1];
        for (int q = 1; q < QUINTILES; q++) {
            cuts[q - 1] = count == 0 ? 0 : sorted[Math.min(count - 1, q * count / QUINTILES)];
        }
        return cuts;
    }

    /** The quintile of a share (ties go to the lower one), or {@link #QUINTILES} when there is none. */
    static int key(double share, double[] cuts) {
        if (Double.isNaN(share)) {
            return QUINTILES;
        }
        int q = 0;
        while (q < cuts.length && share > cuts[q]) {
            q++;
        }
        return q;
    }
}
