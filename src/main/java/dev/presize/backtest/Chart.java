package dev.presize.backtest;

import dev.presize.format.GoDuration;
import dev.presize.history.ContainerSeries;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained HTML page (inline SVG, no scripts, nothing fetched) showing, for a few series,
 * hourly peak usage and each strategy's request over time: CPU above, memory below, each panel
 * with a date axis (UTC) and a y axis in cores or bytes. Without {@code --chart-series}, the four
 * series with the most samples are shown, and the page says so.
 *
 * <p>The y scale follows usage, not the requests: a strategy far above usage (an owner's generous
 * {@code manual} request, say) would otherwise squash every other line onto the usage line. A
 * request above the scale is drawn along the top edge, dashed, and the panel names it with its
 * highest value.
 */
final class Chart {

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 240;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 24;
    private static final int BOTTOM = 36;
    /** Ten colours that stay apart for the common kinds of colour blindness (Tableau 10). */
    private static final String[] COLORS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
        "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
    private static final String USAGE_COLOR = "#555555";
    private static final int DEFAULT_SERIES = 4;
    /** Usage's peak takes this share of the panel's height, leaving room for requests above it. */
    private static final double HEADROOM = 1.6;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final long DAY = 86_400;

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
                .append("<style>body{font-family:sans-serif;margin:20px} h2{font-size:16px;margin:18px 0 4px}")
                .append(" .legend span{margin-right:16px} svg text{font-family:sans-serif} .note{color:#444}</style>")
                .append("</head><body><h1>presize backtest</h1><p>")
                .append(escape(options.trace().getFileName().toString()))
                .append(String.format(Locale.ROOT, " — target risks: CPU %s, memory %s; history %s",
                        number(options.cpuRisk()), number(options.memoryRisk()), GoDuration.format(options.history())))
                .append("</p><p class=\"note\" id=\"series-count\">")
                .append(wanted.isEmpty()
                        ? String.format(Locale.ROOT, "Showing %d of %d series: the %d with the most samples. "
                                + "Pick others with <code>--chart-series namespace/workload/container,...</code>.",
                                chosen.size(), trace.size(), chosen.size())
                        : String.format(Locale.ROOT, "Showing %d of %d series, as given by "
                                + "<code>--chart-series</code>.", chosen.size(), trace.size()))
                .append(" Usage is each hour's peak; requests change once a day, at the strategy's decision.</p>")
                .append("<p class=\"legend\"><span style=\"color:").append(USAGE_COLOR)
                .append("\">■ usage (hourly peak)</span>");
        for (int i = 0; i < outcomes.size(); i++) {
            out.append("<span style=\"color:").append(color(i)).append("\">■ ")
                    .append(escape(outcomes.get(i).strategy())).append("</span>");
        }
        out.append("</p>");
        for (ContainerSeries s : chosen) {
            out.append("<h2>").append(escape(s.key().toString())).append("</h2>");
            out.append(panel(s, outcomes, Resource.CPU)).append(panel(s, outcomes, Resource.MEMORY));
        }
        return out.append("</body></html>\n").toString();
    }

    enum Resource {
        CPU("CPU", "cores"), MEMORY("memory", "bytes");

        final String title;
        final String unit;

        Resource(String title, String unit) {
            this.title = title;
            this.unit = unit;
        }

        double usage(ContainerSeries s, int i) {
            return this == CPU ? s.cpuCores()[i] : s.memoryBytes()[i];
        }

        /** A timeline step is {decision second, CPU millicores, memory bytes}; negative: not scored. */
        double request(long[] step) {
            return this == CPU ? step[1] / 1000.0 : step[2];
        }
    }

    private static String panel(ContainerSeries s, List<Backtest.Outcome> outcomes, Resource resource) {
        List<double[]> usage = hourlyPeaks(s, resource);
        long[] t = s.timestamps();
        double x0 = t.length == 0 ? 0 : t[0];
        double x1 = t.length == 0 ? DAY : Math.max(t[t.length - 1], t[0] + 1);
        double usagePeak = 0;
        for (double[] p : usage) {
            usagePeak = Math.max(usagePeak, p[1]);
        }
        double requestPeak = 0;
        for (Backtest.Outcome o : outcomes) {
            for (long[] d : o.timeline().getOrDefault(s.key(), List.of())) {
                requestPeak = Math.max(requestPeak, resource.request(d));
            }
        }
        double wanted = usagePeak > 0 ? usagePeak * HEADROOM : requestPeak;
        Axis y = Axis.nice(wanted > 0 ? wanted : 1, resource);
        Scale scale = new Scale(x0, x1, y.max());

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg class=\"panel %s\" width=\"%d\" height=\"%d\" style=\"border:1px solid #ddd\">",
                resource.name().toLowerCase(Locale.ROOT), WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s (%s)</text>",
                LEFT, resource.title, y.unitLabel()));
        yAxis(svg, y, scale);
        xAxis(svg, scale);

        svg.append("<polyline class=\"series usage\" fill=\"none\" stroke=\"").append(USAGE_COLOR)
                .append("\" stroke-width=\"1\" points=\"");
        for (double[] p : usage) {
            svg.append(scale.x(p[0])).append(',').append(scale.y(Math.min(p[1], y.max()))).append(' ');
        }
        svg.append("\"/>");

        List<String> clipped = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            List<long[]> steps = outcomes.get(i).timeline().getOrDefault(s.key(), List.of());
            if (steps.isEmpty()) {
                continue;
            }
            double highest = 0;
            StringBuilder points = new StringBuilder();
            for (long[] d : steps) {
                double value = resource.request(d);
                if (value < 0) {
                    continue; // this resource was not scored at this decision (Backtest.Outcome)
                }
                highest = Math.max(highest, value);
                String yy = scale.y(Math.min(value, y.max()));
                points.append(scale.x(d[0])).append(',').append(yy).append(' ')
                        .append(scale.x(Math.min(d[0] + Backtest.DAY, x1))).append(',').append(yy).append(' ');
            }
            if (points.length() == 0) {
                continue;
            }
            boolean above = highest > y.max();
            String strategy = escape(outcomes.get(i).strategy());
            svg.append("<polyline class=\"series strategy\" data-strategy=\"").append(strategy)
                    .append("\" fill=\"none\" stroke=\"").append(color(i))
                    .append(above ? "\" stroke-width=\"2.5\" stroke-dasharray=\"8 3\"" : "\" stroke-width=\"1.5\"").append(" points=\"").append(points).append("\"/>");
            if (above) {
                clipped.add(strategy + " (up to " + y.format(highest) + ")");
            }
        }
        if (!clipped.isEmpty()) {
            svg.append(String.format(Locale.ROOT,
                    "<text class=\"clipped\" x=\"%d\" y=\"16\" font-size=\"12\" text-anchor=\"end\" fill=\"#b00\">"
                            + "▲ above the scale, drawn dashed along the top: %s</text>",
                    WIDTH - RIGHT, String.join(", ", clipped)));
        }
        return svg.append("</svg><br>").toString();
    }

    /** Each hour's peak (NaN samples skipped), at the hour's start: the peaks a request must cover. */
    private static List<double[]> hourlyPeaks(ContainerSeries s, Resource resource) {
        long[] t = s.timestamps();
        List<double[]> peaks = new ArrayList<>();
        long hour = Long.MIN_VALUE;
        double max = Double.NaN;
        for (int i = 0; i < t.length; i++) {
            long h = Math.floorDiv(t[i], 3600);
            if (h != hour && !Double.isNaN(max)) {
                peaks.add(new double[] {hour * 3600.0, max});
                max = Double.NaN;
            }
            hour = h;
            double v = resource.usage(s, i);
            if (!Double.isNaN(v) && !(v <= max)) {
                max = v;
            }
        }
        if (!Double.isNaN(max)) {
            peaks.add(new double[] {hour * 3600.0, max});
        }
        return peaks;
    }

    private static void yAxis(StringBuilder svg, Axis y, Scale scale) {
        svg.append("<g class=\"axis y\">");
        svg.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM));
        for (int k = 0; k <= y.ticks(); k++) {
            double v = k * y.step();
            String yy = scale.y(v);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\" stroke=\"#eee\"/>", LEFT, yy, WIDTH - RIGHT, yy));
            svg.append(String.format(Locale.ROOT,
                    "<text class=\"tick\" x=\"%d\" y=\"%s\" font-size=\"11\" text-anchor=\"end\" dy=\"4\">%s</text>",
                    LEFT - 6, yy, y.format(v)));
        }
        svg.append("</g>");
    }

    /** One label per day, or per 2, 7, 14 or 28 days, so that at most about ten dates fit. */
    private static void xAxis(StringBuilder svg, Scale scale) {
        svg.append("<g class=\"axis x\">");
        svg.append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM));
        double days = (scale.x1() - scale.x0()) / DAY;
        long every = 28;
        for (long candidate : new long[] {1, 2, 7, 14, 28}) {
            if (days / candidate <= 10) {
                every = candidate;
                break;
            }
        }
        long first = Math.floorDiv((long) Math.ceil(scale.x0()) + DAY - 1, DAY);
        for (long day = first; day * DAY <= scale.x1(); day += every) {
            String xx = scale.x(day * DAY);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" stroke=\"#999\"/>", xx, HEIGHT - BOTTOM, xx,
                    HEIGHT - BOTTOM + 4));
            svg.append(String.format(Locale.ROOT,
                    "<text class=\"tick\" x=\"%s\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>",
                    xx, HEIGHT - BOTTOM + 16, DATE.format(Instant.ofEpochSecond(day * DAY))));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" fill=\"#666\">date (UTC)</text>",
                WIDTH - RIGHT, HEIGHT - 4));
        svg.append("</g>");
    }

    private static String line(int x1, int y1, int x2, int y2) {
        return String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", x1, y1, x2, y2);
    }

    /** Data to pixels: time across, value up, inside the margins. */
    record Scale(double x0, double x1, double yMax) {
        String x(double t) {
            return String.format(Locale.ROOT, "%.1f", LEFT + (t - x0) / (x1 - x0) * (WIDTH - LEFT - RIGHT));
        }

        String y(double v) {
            return String.format(Locale.ROOT, "%.1f", HEIGHT - BOTTOM - v / yMax * (HEIGHT - TOP - BOTTOM));
        }
    }

    /**
     * A y axis from 0 with a round step (1, 2 or 5 times a power of ten of the display unit) and
     * 3 to 6 ticks; memory is shown in the binary unit (KiB … TiB) that keeps its numbers small.
     */
    record Axis(double step, int ticks, double unit, String unitName) {

        double max() {
            return step * ticks;
        }

        static Axis nice(double wanted, Resource resource) {
            double unit = 1;
            String name = "cores";
            if (resource == Resource.MEMORY) {
                String[] names = {"bytes", "KiB", "MiB", "GiB", "TiB"};
                int k = 0;
                while (k < names.length - 1 && wanted >= 1024 * Math.pow(1024, k)) {
                    k++;
                }
                unit = Math.pow(1024, k);
                name = names[k];
            }
            double inUnit = wanted / unit;
            double magnitude = Math.pow(10, Math.floor(Math.log10(inUnit / 5)));
            for (double m : new double[] {1, 2, 5, 10}) {
                double step = m * magnitude;
                if (inUnit / step <= 6) {
                    int ticks = Math.max(3, (int) Math.ceil(inUnit / step - 1e-9));
                    return new Axis(step * unit, ticks, unit, name);
                }
            }
            return new Axis(10 * magnitude * unit, 6, unit, name);
        }

        String unitLabel() {
            return unitName;
        }

        String format(double value) {
            return number(value / unit) + " " + unitName;
        }
    }

    /** Up to 3 significant digits, no trailing zeros, no exponent. */
    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v).round(new java.math.MathContext(3));
        return d.stripTrailingZeros().toPlainString();
    }

    private static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
