package dev.presize.backtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The human-readable form of a backtest: one row per strategy, one column per field of the JSON
 * lines ({@link Scorecard#fields}), under the same names, so table, JSON and README speak one
 * vocabulary. A resource no decision added to (a CPU-only trace's memory) shows "-", not a
 * perfect-looking 0.
 */
final class Tables {

    private Tables() {
    }

    static String render(List<Backtest.Outcome> outcomes) {
        List<Map<String, Object>> fields = outcomes.stream().map(o -> o.score().fields(o.strategy(), o.series())).toList();
        List<String> headers = new ArrayList<>(fields.get(0).keySet());
        String[][] rows = new String[outcomes.size() + 1][];
        rows[0] = headers.toArray(String[]::new);
        for (int i = 0; i < fields.size(); i++) {
            Map<String, Object> f = fields.get(i);
            rows[i + 1] = headers.stream().map(h -> unscored(h, f) ? "-" : cell(f.get(h))).toArray(String[]::new);
        }
        int[] widths = new int[headers.size()];
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
        // A strategy whose calibrations could not hold a target says so under the table: its risk
        // on that target is above what was asked for, by no fault of the table.
        for (Backtest.Outcome o : outcomes) {
            String summary = o.calibrations().summary();
            if (!summary.isEmpty()) {
                out.append('\n').append(o.strategy()).append(": ").append(summary).append('\n');
            }
        }
        return out.toString();
    }

    /** A CPU (memory) measure when no (series, decision) pair was scored on CPU (memory). */
    private static boolean unscored(String field, Map<String, Object> fields) {
        for (String resource : new String[] {"cpu_", "mem_"}) {
            if (field.startsWith(resource) && !field.endsWith("_decisions")
                    && Long.valueOf(0).equals(fields.get(resource + "decisions"))) {
                return true;
            }
        }
        return false;
    }

    private static String cell(Object value) {
        return value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : String.valueOf(value);
    }

    private static String pad(String s, int width, boolean left) {
        String spaces = " ".repeat(width - s.length());
        return left ? s + spaces : spaces + s;
    }
}
