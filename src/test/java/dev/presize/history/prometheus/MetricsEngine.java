package dev.presize.history.prometheus;

import java.io.IOException;
import java.net.URI;

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
}
