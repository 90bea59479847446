package dev.presize.api.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.presize.history.SeriesKey;
import dev.presize.model.ContainerHistory;
import dev.presize.model.Recommendation;
import dev.presize.model.RequestStrategy;
import dev.presize.model.TargetStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelMetricsTest {

    /** A strategy whose calibration state the test sets. */
    private static final class Calibrated implements RequestStrategy {
        private volatile List<TargetStatus> targets = List.of();
        private volatile boolean cold;
        private volatile boolean fallback;

        @Override
        public String name() {
            return "test";
        }

        @Override
        public Map<SeriesKey, Recommendation> recommend(List<ContainerHistory> containers, long decision) {
            return Map.of();
        }

        @Override
        public List<TargetStatus> targets() {
            return targets;
        }

        @Override
        public boolean coldStart() {
            return cold;
        }

        @Override
        public boolean fallback() {
            return fallback;
        }
    }

    private static String scrape(PrometheusRegistry registry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachTargetsStateIsReadAtScrapeTime() throws IOException {
        Calibrated strategy = new Calibrated();
        PrometheusRegistry registry = new PrometheusRegistry();
        new ModelMetrics(strategy, registry);
        assertFalse(scrape(registry).contains("presize_model_target_held{"), "no training yet, no series");
        assertFalse(scrape(registry).contains("presize_model_cold_start "), "no training yet, no sample");

        strategy.targets = List.of(new TargetStatus("cpu-target-unmet", 0.02, 0.0195, true),
                new TargetStatus("memory-target-risk", 0.01, 0.014, false));
        String text = scrape(registry);
        assertTrue(text.contains("presize_model_target_held{target=\"cpu-target-unmet\"} 1.0"), text);
        assertTrue(text.contains("presize_model_target_held{target=\"memory-target-risk\"} 0.0"), text);
        assertTrue(text.contains("presize_model_calibrated_risk{target=\"memory-target-risk\"} 0.014"), text);
        assertTrue(text.contains("presize_model_cold_start 0.0"), text);
        strategy.cold = true;
        assertTrue(scrape(registry).contains("presize_model_cold_start 1.0"), "read at scrape time");
        assertTrue(text.contains("presize_model_fallback 0.0"), text);
    }

    @Test
    void aTrainingThatCalibratedNothingSaysSoAlone() throws IOException {
        Calibrated strategy = new Calibrated();
        PrometheusRegistry registry = new PrometheusRegistry();
        new ModelMetrics(strategy, registry);
        assertFalse(scrape(registry).contains("presize_model_fallback "), "no training yet, no sample");
        strategy.fallback = true;
        String text = scrape(registry);
        assertTrue(text.contains("presize_model_fallback 1.0"), text);
        assertFalse(text.contains("presize_model_target_held{"), "no target was calibrated: " + text);
        assertFalse(text.contains("presize_model_cold_start "), text);
    }
}
