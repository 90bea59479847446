package dev.presize.workloads.kubernetes;

import dev.presize.testing.LogLines;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One log line per change of a kind's state, never per retry, and the gauge per kind and version. */
class KindAvailabilityTest {

    private static final String CAUSE = "GET https://k/apis/batch/v1/cronjobs: HTTP 403 from the API server: forbidden";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final KindAvailability availability = new KindAvailability(registry);
    @RegisterExtension
    final LogLines log = new LogLines(KindAvailability.class);

    @Test
    void logsEachChangeOnceAndKeepsTheGaugeCurrent() throws IOException {
        availability.listed("jobs", "batch/v1");
        assertEquals(List.of(), log.lines(), "a kind that works from the start is no news");

        availability.failed("cronjobs", "batch/v1", 403, CAUSE, false);
        availability.failed("cronjobs", "batch/v1", 403, CAUSE, false);
        availability.failed("cronjobs", "batch/v1", 0, "GET https://k/apis/batch/v1/cronjobs: no answer in time", false);
        assertEquals(1, log.lines().size(), log.lines().toString());
        assertTrue(log.lines().get(0).startsWith("WARN Workload kind cronjobs (batch/v1) cannot be listed (Forbidden);"
                + " recommendations go on without it"), log.lines().toString());
        assertTrue(log.lines().get(0).endsWith(CAUSE), log.lines().toString());
        assertTrue(metrics().contains("presize_workload_kind_available{kind=\"cronjobs\",version=\"batch/v1\"} 0"), metrics());
        assertTrue(metrics().contains("presize_workload_kind_available{kind=\"jobs\",version=\"batch/v1\"} 1"), metrics());

        availability.listed("cronjobs", "batch/v1");
        availability.listed("cronjobs", "batch/v1");
        assertEquals(2, log.lines().size(), log.lines().toString());
        assertEquals("INFO Workload kind cronjobs (batch/v1) can be listed again; the next refresh uses it", log.lines().get(1));

        availability.failed("cronjobs", "batch/v1", 500, "GET https://k/apis/batch/v1/cronjobs: HTTP 500 from the API server", true);
        assertTrue(log.lines().get(2).contains("cannot be listed (ListFailed); read as last listed meanwhile"), log.lines().toString());
    }

    @Test
    void aKindMovingToAnotherVersionIsOneLineAndOneSeries() throws IOException {
        availability.listed("cronjobs", "batch/v1beta1");
        availability.listed("cronjobs", "batch/v1");
        assertEquals(List.of("INFO Workload kind cronjobs is now listed from batch/v1 (was batch/v1beta1)"), log.lines());
        assertFalse(metrics().contains("batch/v1beta1"), metrics());
        assertTrue(metrics().contains("presize_workload_kind_available{kind=\"cronjobs\",version=\"batch/v1\"} 1"), metrics());
    }


    private String metrics() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
