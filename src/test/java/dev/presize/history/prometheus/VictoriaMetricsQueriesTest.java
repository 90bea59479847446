package dev.presize.history.prometheus;

import dev.presize.history.ContainerSeries;
import dev.presize.history.HourlyUsage;
import dev.presize.history.TestSlice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On VictoriaMetrics too, the 5-minute rates fetched and reduced in Java read the same hours as
 * the engine's own hourly subqueries ({@link SubqueryUsageHistory}): MetricsQL evaluates the rate of
 * a range query and of a subquery step alike, so moving the reduction into Presize changes nothing
 * about how the two engines differ (RealPrometheusTest shows the same on Prometheus).
 */
class VictoriaMetricsQueriesTest {

    /** The trace slice: 2013-07-27T00:00Z to 2013-08-05T00:00Z. */
    private static final long SLICE_END = 1375660800;

    @Test
    void theRatesReducedHereEqualTheEnginesOwnSubqueriesHourByHour(@TempDir Path dir) throws Exception {
        List<ContainerSeries> raw = TestSlice.read();
        OpenMetricsWriter writer = new OpenMetricsWriter();
        for (ContainerSeries s : raw) {
            // One namespace, one pod per VM: every container of the slice in one query.
            writer.add(new ContainerSeries("shop", s.workload(), "app", s.timestamps(), s.cpuCores(), s.memoryBytes(),
                    s.cpuRequestCores(), s.memoryRequestBytes()), s.workload());
        }
        try (VictoriaMetricsProcess vm = VictoriaMetricsProcess.start(writer, dir)) {
            PrometheusClient client = new PrometheusClient(PrometheusSettings.of(vm.url(), Duration.ofSeconds(30)));
            PrometheusUsageHistory rates = new PrometheusUsageHistory(client);
            SubqueryUsageHistory subqueries = new SubqueryUsageHistory(client);
            // The whole slice, and a window whose edges cut the data.
            for (long end : new long[] {SLICE_END, SLICE_END - 37 * HourlyUsage.HOUR}) {
                int hours = end == SLICE_END ? 216 : 50;
                var expected = subqueries.namespace("shop", Instant.ofEpochSecond(end), Duration.ofHours(hours));
                assertEquals(raw.size(), expected.size());
                assertTrue(expected.stream().allMatch(p -> p.usage().hasCpu(hours - 1)), "data up to the window's end");
                RealPrometheusTest.assertSame(expected, rates.namespace("shop", Instant.ofEpochSecond(end), Duration.ofHours(hours)));
            }
        }
    }
}
