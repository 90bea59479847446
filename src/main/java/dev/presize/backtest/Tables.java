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
        StringBuilder out = new StringBuilder();
        aligned(rows, out);
        standardErrors(outcomes, out);
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

    /**
     * Under the table, each ratio measure's standard error (clustered by day and by series,
     * {@link ClusteredErrors}), under the same column names: how far a figure could move on another
     * stretch of days and set of containers like these, so that a reader can tell a difference
     * between two rows from noise; then the errors of the first strategy's differences from the
     * others. "-" where it cannot be measured (a resource not scored, a single day).
     */
    private static void standardErrors(List<Backtest.Outcome> outcomes, StringBuilder out) {
        List<Map<String, Double>> errors = outcomes.stream().map(o -> o.score().standardErrors()).toList();
        if (errors.stream().allMatch(Map::isEmpty)) {
            return;
        }
        String[][] rows = new String[outcomes.size() + 1][];
        rows[0] = new String[ClusteredErrors.MEASURES.length + 1];
        rows[0][0] = "standard_error";
        System.arraycopy(ClusteredErrors.MEASURES, 0, rows[0], 1, ClusteredErrors.MEASURES.length);
        for (int i = 0; i < outcomes.size(); i++) {
            rows[i + 1] = errorRow(outcomes.get(i).strategy(), errors.get(i));
        }
        out.append('\n');
        aligned(rows, out);
        Map<String, Map<String, Double>> differences = Backtest.differenceErrors(outcomes);
        if (differences.isEmpty()) {
            return;
        }
        String first = outcomes.get(0).strategy();
        List<String[]> diff = new ArrayList<>();
        String[] header = rows[0].clone();
        header[0] = "standard_error_of_difference";
        diff.add(header);
        for (Map.Entry<String, Map<String, Double>> e : differences.entrySet()) {
            diff.add(errorRow(first + " - " + e.getKey(), e.getValue()));
        }
        out.append('\n');
        aligned(diff.toArray(String[][]::new), out);
    }

    /** A row of errors under the measures' columns: {@code label}, then each error or "-" where none. */
    private static String[] errorRow(String label, Map<String, Double> errors) {
        String[] row = new String[ClusteredErrors.MEASURES.length + 1];
        row[0] = label;
        for (int k = 0; k < ClusteredErrors.MEASURES.length; k++) {
            Double se = errors.get(ClusteredErrors.MEASURES[k]);
            row[k + 1] = se == null ? "-" : cell(se);
        }
        return row;
    }

    private static void aligned(String[][] rows, StringBuilder out) {
        int[] widths = new int[rows[0].length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                out.append(c == 0 ? pad(row[c], widths[c], true) : "  " + pad(row[c], widths[c], false));
            }
            out.append('\n');
        }
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
