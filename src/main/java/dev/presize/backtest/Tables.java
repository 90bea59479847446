package dev.presize.backtest;

import java.util.List;
import java.util.Locale;

/**
 * The human-readable form of a backtest: one row per strategy, the metrics as columns. A
 * resource no decision added to (a CPU-only trace's memory) shows "-", not a perfect 0.
 */
final class Tables {

    private static final String[] HEADERS = {"STRATEGY", "SERIES", "DECISIONS", "CPU_SLACK", "CPU_UNDER",
        "CPU_UNMET", "MEM_SLACK", "MEM_EXCEEDED_DAYS", "CHANGES/WEEK"};

    private Tables() {
    }

    static String render(List<Backtest.Outcome> outcomes) {
        String[][] rows = new String[outcomes.size() + 1][];
        rows[0] = HEADERS;
        for (int i = 0; i < outcomes.size(); i++) {
            Backtest.Outcome o = outcomes.get(i);
            Scorecard s = o.score();
            rows[i + 1] = new String[] {o.strategy(), Integer.toString(o.series()), Long.toString(s.decisions),
                scored(s.cpuSlackRatio(), s.cpuDecisions), scored(s.cpuUnderprovisionedFraction(), s.cpuDecisions),
                scored(s.cpuUnmetRatio(), s.cpuDecisions), scored(s.memSlackRatio(), s.memDecisions),
                scored(s.memExceededDayFraction(), s.memDecisions), fixed(s.changesPerWeek())};
        }
        int[] widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                out.append(c == 0 ? pad(row[c], widths[c], true) : "  " + pad(row[c], widths[c], false));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String scored(double v, long decisions) {
        return decisions == 0 ? "-" : fixed(v);
    }

    private static String fixed(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pad(String s, int width, boolean left) {
        String spaces = " ".repeat(width - s.length());
        return left ? s + spaces : spaces + s;
    }
}
