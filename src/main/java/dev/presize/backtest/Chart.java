package dev.presize.backtest;

import dev.presize.history.ContainerSeries;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page (inline SVG, no scripts, nothing fetched) showing, for a few series,
 * hourly usage and each strategy's request over time: CPU above, memory below. Without
 * {@code --chart-series}, the four series with the most CPU samples are shown.
 */
final class Chart {

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 220;
    private static final int MARGIN = 50;
    private static final String[] COLORS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"};
    private static final int DEFAULT_SERIES = 4;

    private Chart() {
    }

    static String html(List<ContainerSeries> trace, List<Backtest.Outcome> outcomes, List<String> wanted,
                       BacktestCommand.Options options) {
        List<ContainerSeries> chosen = new ArrayList<>();
        if (wanted.isEmpty()) {
            trace.stream().sorted(Comparator.comparingInt(ContainerSeries::size).reversed()
                    .thenComparing(s -> s.key().toString())).limit(DEFAULT_SERIES).forEach(chosen::add);
        } else {
            for (String w : wanted) {
                trace.stream().filter(s -> s.key().toString().equals(w.trim())).findFirst().ifPresent(chosen::add);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>presize backtest</title>")
                .append("<style>body{font-family:sans-serif;margin:20px} h2{font-size:16px} .legend span{margin-right:16px}")
                .append("</style></head><body><h1>presize backtest</h1><p>")
                .append(escape(options.trace().getFileName().toString()))
                .append(String.format(Locale.ROOT, " — target risks: CPU %.3f, memory %.3f; history %s",
                        options.cpuRisk(), options.memoryRisk(), options.history()))
                .append("</p><p class=\"legend\"><span style=\"color:#888\">■ usage (hourly max)</span>");
        for (int i = 0; i < outcomes.size(); i++) {
            out.append("<span style=\"color:").append(COLORS[i % COLORS.length]).append("\">■ ")
                    .append(escape(outcomes.get(i).strategy())).append("</span>");
        }
        out.append("</p>");
        for (ContainerSeries s : chosen) {
            out.append("<h2>").append(escape(s.key().toString())).append("</h2>");
            out.append(panel(s, outcomes, true)).append(panel(s, outcomes, false));
        }
        return out.append("</body></html>\n").toString();
    }

    private static String panel(ContainerSeries s, List<Backtest.Outcome> outcomes, boolean cpu) {
        long[] t = s.timestamps();
        double[] v = cpu ? s.cpuCores() : s.memoryBytes();
        double scale = cpu ? 1 : 1024.0 * 1024 * 1024;
        // Hourly maxima keep the page small and still show the peaks requests must cover.
        List<double[]> usage = new ArrayList<>();
        long hour = Long.MIN_VALUE;
        double max = Double.NaN;
        for (int i = 0; i < t.length; i++) {
            long h = Math.floorDiv(t[i], 3600);
            if (h != hour && !Double.isNaN(max)) {
                usage.add(new double[] {hour * 3600.0, max});
                max = Double.NaN;
            }
            hour = h;
            if (!Double.isNaN(v[i]) && !(v[i] / scale <= max)) {
                max = v[i] / scale;
            }
        }
        if (!Double.isNaN(max)) {
            usage.add(new double[] {hour * 3600.0, max});
        }
        double x0 = t.length == 0 ? 0 : t[0];
        double x1 = t.length == 0 ? 1 : t[t.length - 1];
        double yMax = 0;
        for (double[] p : usage) {
            yMax = Math.max(yMax, p[1]);
        }
        for (Backtest.Outcome o : outcomes) {
            for (long[] d : o.timeline().getOrDefault(s.key(), List.of())) {
                yMax = Math.max(yMax, cpu ? d[1] / 1000.0 : d[2] / scale);
            }
        }
        yMax = yMax <= 0 ? 1 : yMax * 1.05;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" style=\"border:1px solid #ddd\">",
                WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"14\" font-size=\"12\">%s (max %.3g %s)</text>",
                cpu ? "CPU" : "memory", yMax, cpu ? "cores" : "GiB"));
        svg.append("<polyline fill=\"none\" stroke=\"#999\" stroke-width=\"1\" points=\"");
        for (double[] p : usage) {
            svg.append(x(p[0], x0, x1)).append(',').append(y(p[1], yMax)).append(' ');
        }
        svg.append("\"/>");
        for (int i = 0; i < outcomes.size(); i++) {
            List<long[]> steps = outcomes.get(i).timeline().getOrDefault(s.key(), List.of());
            if (steps.isEmpty()) {
                continue;
            }
            svg.append("<polyline fill=\"none\" stroke=\"").append(COLORS[i % COLORS.length])
                    .append("\" stroke-width=\"1.5\" points=\"");
            for (long[] d : steps) {
                double value = cpu ? d[1] / 1000.0 : d[2] / scale;
                String yy = y(value, yMax);
                svg.append(x(d[0], x0, x1)).append(',').append(yy).append(' ')
                        .append(x(d[0] + Backtest.DAY, x0, x1)).append(',').append(yy).append(' ');
            }
            svg.append("\"/>");
        }
        return svg.append("</svg><br>").toString();
    }

    private static String x(double t, double x0, double x1) {
        return String.format(Locale.ROOT, "%.1f", MARGIN + (t - x0) / Math.max(1, x1 - x0) * (WIDTH - 2 * MARGIN));
    }

    private static String y(double v, double yMax) {
        return String.format(Locale.ROOT, "%.1f", HEIGHT - 20 - v / yMax * (HEIGHT - 40));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

}
