package dev.presize.history.prometheus;

import java.io.IOException;

/**
 * A Prometheus query that failed for good (after retries where retrying makes sense). The message
 * names the endpoint, Prometheus' own {@code errorType}/{@code error} when it sent one, and the
 * query, so an operator can paste the query into the Prometheus UI. It never contains the token.
 */
public class PrometheusException extends IOException {

    private final int status;

    public PrometheusException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when no response arrived (connection failure, timeout). */
    public int status() {
        return status;
    }
}
