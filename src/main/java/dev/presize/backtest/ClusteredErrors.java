package dev.presize.backtest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Standard errors of a strategy's ratio measures ({@link Scorecard}), and of the difference
 * between two strategies' measures: how far each could move on another stretch of days and set of
 * containers like these. A measure is a ratio Σy / Σx over the scored (series, day) cells, and the
 * cells are not independent: one busy day pushes many containers over their requests at once, and
 * one bursty container is over its request on many days. So the variance is clustered both ways
 * (Cameron, Gelbach and Miller, "Robust inference with multiway clustering", 2011): by day plus by
 * series minus by cell, each the sum over its clusters of the squared sum of the ratio's
 * linearised residuals (y − R·x) / X, with the small-sample factor G / (G − 1). When that comes out
 * negative (it can, with few clusters) the larger of the two one-way variances is used. Fewer
 * than two days or two series: no error (NaN), there is nothing to measure it on.
 *
 * <p>Two strategies scored on the same cells (every strategy of a backtest is) move together: a
 * day that puts one over its requests puts the other over its own. The error of their difference
 * is therefore measured on the differences of their residuals, cell by cell, and is usually much
 * smaller than either strategy's own error.
 */
final class ClusteredErrors {

    /** The measures, in {@link Scorecard#fields} order. */
    static final String[] MEASURES = {"cpu_slack_ratio", "cpu_underprovisioned_fraction", "cpu_unmet_ratio",
        "mem_slack_ratio", "mem_exceeded_day_fraction", "mem_unmet_peak_ratio"};

    /** One scored (series, day) cell: {y, x} per measure, y at 2k and x at 2k + 1. */
    private record Cell(long day, Object series, double[] yx) {
    }

    private final List<Cell> cells = new ArrayList<>();

    /**
     * Adds one scored cell: {@code yx} holds {y, x} for each of {@link #MEASURES}, this cell's
     * numerator and denominator (zeros for a resource it was not scored on).
     */
    void add(long day, Object series, double[] yx) {
        cells.add(new Cell(day, series, yx.clone()));
    }

    void merge(ClusteredErrors o) {
        cells.addAll(o.cells);
    }

    /** The standard error of measure {@code k} of {@link #MEASURES}; NaN when it cannot be measured. */
    double standardError(int k) {
        double[] e = residuals(k);
        return e == null ? Double.NaN : twoWay(e);
    }

    /**
     * The standard error of measure {@code k} of {@code a} minus the same measure of {@code b}, both
     * scored on the same cells in the same order; NaN when either cannot be measured.
     *
     * @throws IllegalArgumentException when the two were not scored on the same cells
     */
    static double differenceError(ClusteredErrors a, ClusteredErrors b, int k) {
        if (a.cells.size() != b.cells.size()) {
            throw new IllegalArgumentException("scored on " + a.cells.size() + " and " + b.cells.size() + " cells");
        }
        for (int i = 0; i < a.cells.size(); i++) {
            Cell x = a.cells.get(i);
            Cell y = b.cells.get(i);
            if (x.day() != y.day() || !Objects.equals(x.series(), y.series())) {
                throw new IllegalArgumentException("cell " + i + " is " + x.series() + " at " + x.day() + " in one and "
                    + y.series() + " at " + y.day() + " in the other");
            }
        }
        double[] ea = a.residuals(k);
        double[] eb = b.residuals(k);
        if (ea == null || eb == null) {
            return Double.NaN;
        }
        double[] d = new double[ea.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = ea[i] - eb[i];
        }
        return a.twoWay(d);
    }

    /** Each cell's linearised residual of measure k, (y − R·x) / X; null when it cannot be measured. */
    private double[] residuals(int k) {
        double y = 0;
        double x = 0;
        for (Cell c : cells) {
            y += c.yx()[2 * k];
            x += c.yx()[2 * k + 1];
        }
        if (x == 0) {
            return null;
        }
        double r = y / x;
        double[] e = new double[cells.size()];
        for (int i = 0; i < e.length; i++) {
            double[] v = cells.get(i).yx();
            e[i] = (v[2 * k] - r * v[2 * k + 1]) / x;
        }
        return e;
    }

    /** The two-way clustered standard error of a sum of per-cell terms {@code e}; NaN without two of each. */
    private double twoWay(double[] e) {
        Map<Long, Double> byDay = new HashMap<>();
        Map<Object, Double> bySeries = new HashMap<>();
        double cell = 0;
        for (int i = 0; i < e.length; i++) {
            Cell c = cells.get(i);
            byDay.merge(c.day(), e[i], Double::sum);
            bySeries.merge(c.series(), e[i], Double::sum);
            cell += e[i] * e[i];
        }
        if (byDay.size() < 2 || bySeries.size() < 2) {
            return Double.NaN;
        }
        double day = oneWay(byDay);
        double series = oneWay(bySeries);
        double variance = day + series - cell * smallSample(e.length);
        if (variance < 0) {
            variance = Math.max(day, series);
        }
        return Math.sqrt(variance);
    }

    private static double oneWay(Map<?, Double> clusters) {
        double sum = 0;
        for (double v : clusters.values()) {
            sum += v * v;
        }
        return sum * smallSample(clusters.size());
    }

    private static double smallSample(long groups) {
        return groups < 2 ? 0 : groups / (groups - 1.0);
    }
}
