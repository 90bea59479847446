package dev.presize.backtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backtest's chart as a person sees it: rendered by a real headless Chromium (Debian's
 * {@code chromium}, installed by .ci/run), read back as the browser's DOM and as a screenshot.
 */
class ChartBrowserTest {

    @TempDir
    static Path dir;
    private static String dom;
    private static BufferedImage screenshot;

    @BeforeAll
    static void renderInChromium() throws Exception {
        Path trace = Path.of(ChartBrowserTest.class.getResource("/traces/bitbrains-rnd-slice.csv.gz").toURI());
        Path chart = dir.resolve("chart.html");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BacktestCommand.run(List.of("--trace", trace.toString(), "--strategies", "vpa,krr,manual",
                        "--warmup", "72h", "--history", "168h", "--chart", chart.toString(),
                        "--chart-series", "bitbrains/vm-133/vm"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        dom = chromium(chart, "--dump-dom");
        Path png = dir.resolve("chart.png");
        chromium(chart, "--screenshot=" + png, "--window-size=1200,1000", "--hide-scrollbars");
        screenshot = ImageIO.read(png.toFile());
    }

    @Test
    void everyPanelHasADateAxisAndAYAxisWithUnits() {
        List<String> panels = all("<svg class=\"panel (cpu|memory)\"", dom);
        assertEquals(List.of("cpu", "memory"), panels);
        List<String> dates = all("<text class=\"tick\"[^>]*text-anchor=\"middle\">(\\d{4}-\\d\\d-\\d\\d)</text>", dom);
        assertTrue(dates.size() >= 2 * 3, "at least three dates on each time axis: " + dates);
        assertTrue(dates.stream().allMatch(d -> d.startsWith("2013-")), "the trace is from 2013: " + dates);
        List<String> cpuTicks = all("<text class=\"tick\"[^>]*text-anchor=\"end\"[^>]*>([^<]*cores)</text>", dom);
        List<String> memoryTicks = all("<text class=\"tick\"[^>]*text-anchor=\"end\"[^>]*>([^<]*(?:bytes|KiB|MiB|GiB|TiB))</text>", dom);
        assertTrue(cpuTicks.size() >= 4 && cpuTicks.get(0).equals("0 cores"), "CPU scale from 0 with units: " + cpuTicks);
        assertTrue(memoryTicks.size() >= 4, "memory scale with units: " + memoryTicks);
    }

    @Test
    void itSaysHowManySeriesItShowsAndHowToPickOthers() {
        assertTrue(dom.contains("Showing 1 of "), dom.substring(0, Math.min(dom.length(), 2000)));
        assertTrue(dom.contains("--chart-series"));
    }

    @Test
    void everyStrategyIsDrawnAndVisible() {
        List<String> drawn = all("data-strategy=\"([^\"]+)\"", dom);
        assertEquals(List.of("vpa", "krr", "manual", "vpa", "krr", "manual"), drawn);
        // Each strategy's colour (legend order: vpa red, krr blue, manual green) is on screen.
        for (int rgb : new int[] {0xd62728, 0x1f77b4, 0x2ca02c}) {
            assertTrue(pixels(rgb) > 100, String.format("colour #%06x drawn: %d pixels", rgb, pixels(rgb)));
        }
        assertTrue(pixels(0x555555) > 200, "usage drawn");
    }

    @Test
    void aRequestFarAboveUsageIsClippedWithAMarkerInsteadOfSquashingTheRest() {
        // vm-133's owner provisioned ten times what it uses; the scale follows usage.
        assertTrue(dom.contains("class=\"clipped\""), "a clipped-request note");
        Matcher m = Pattern.compile("above the scale, drawn dashed along the top: ([^<]*)</text>").matcher(dom);
        assertTrue(m.find() && m.group(1).contains("manual"), "manual is named as above the scale");
    }

    private static long pixels(int rgb) {
        long n = 0;
        for (int y = 0; y < screenshot.getHeight(); y++) {
            for (int x = 0; x < screenshot.getWidth(); x++) {
                int c = screenshot.getRGB(x, y);
                // Close to the colour: lines are anti-aliased, dashed ones more so.
                if (Math.abs(((c >> 16) & 0xff) - ((rgb >> 16) & 0xff)) + Math.abs(((c >> 8) & 0xff) - ((rgb >> 8) & 0xff))
                        + Math.abs((c & 0xff) - (rgb & 0xff)) <= 80) {
                    n++;
                }
            }
        }
        return n;
    }

    private static List<String> all(String regex, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Chromium as the machine's probe starts it: headless, no sandbox as root, no network chatter. */
    private static String chromium(Path page, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium")));
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium.log")));
        return out;
    }
}
