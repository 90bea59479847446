package dev.presize.history.prometheus;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * A real time-series server with the Prometheus HTTP API, started by a test on 127.0.0.1 with data
 * from an {@link OpenMetricsWriter}: {@link PrometheusProcess} or {@link VictoriaMetricsProcess}.
 */
public interface MetricsEngine extends AutoCloseable {

    /** What Presize's {@code --prometheus-url} points at. */
    URI url();

    /** Stops the server (also mid-test, to see how clients fail); its data stays on disk. */
    void stop() throws InterruptedException;

    /** Starts it again after {@link #stop()}: same data, same address; returns when it answers. */
    void restart() throws IOException, InterruptedException;

    @Override
    void close() throws InterruptedException;

    /** Stops a server process this test started: SIGTERM, then SIGKILL if it is still up after 10 s. */
    static void terminate(Process p) throws InterruptedException {
        if (p == null) {
            return;
        }
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
