package dev.presize.history.prometheus;

import java.io.IOException;
import java.nio.file.Path;

/** {@link IncrementalHistoryEngineTest} against a real VictoriaMetrics. */
class IncrementalHistoryVictoriaMetricsTest extends IncrementalHistoryEngineTest {

    @Override
    MetricsEngine startEngine(OpenMetricsWriter data, Path dir) throws IOException, InterruptedException {
        return VictoriaMetricsProcess.start(data, dir);
    }
}
