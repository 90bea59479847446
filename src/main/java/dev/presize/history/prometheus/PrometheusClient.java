package dev.presize.history.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * The Prometheus HTTP API, as far as Presize needs it: {@code /api/v1/query} and
 * {@code /api/v1/query_range}, which Prometheus, Thanos, Mimir and VictoriaMetrics all serve alike.
 * All HTTP, TLS, header and token handling lives here.
 *
 * <p>Queries go as POST {@code application/x-www-form-urlencoded} bodies (the API accepts both GET and
 * POST): a namespace's queries are long, and a GET URL beyond ~8 KiB is refused by many proxies.
 * Responses are parsed as a stream, series by series, without building a JSON tree.
 *
 * <p>{@code --prometheus-timeout} bounds each attempt from sending the request to the end of the body.
 *
 * <p>Retries: up to {@link #ATTEMPTS} attempts, with exponential backoff, on connection failures and
 * on 429/502/503/504 (overload, a restarting Prometheus, a proxy in between). Never on 400/422
 * ({@code bad_data}, {@code execution}: the same query fails the same way) nor on a response timeout
 * (the query is too heavy; asking twice more only triples the load and the wait).
 */
public final class PrometheusClient {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusClient.class);
    static final int ATTEMPTS = 3;
    private static final JsonFactory JSON = new JsonFactory();
    /** Enforces the timeout on response bodies, which java.net.http's request timeout does not cover. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "prometheus-response-deadline");
        t.setDaemon(true);
        return t;
    });

    private final PrometheusSettings settings;
    private final HttpClient http;
    private final Duration initialBackoff;
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong responseBytes = new AtomicLong();

    public PrometheusClient(PrometheusSettings settings) {
        this(settings, Duration.ofMillis(250));
    }

    PrometheusClient(PrometheusSettings settings, Duration initialBackoff) {
        this.settings = settings;
        this.initialBackoff = initialBackoff;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                // No redirects: following one would turn the POST into a GET without its query.
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.url().getScheme().equalsIgnoreCase("https")) {
            // HTTP/2 through ALPN when the server offers it, else HTTP/1.1. Plain http stays on 1.1:
            // the JDK would otherwise send an h2c Upgrade that Prometheus ignores anyway.
            b.version(HttpClient.Version.HTTP_2).sslContext(sslContext(settings));
        } else {
            b.version(HttpClient.Version.HTTP_1_1);
        }
        this.http = b.build();
    }

    public PrometheusSettings settings() {
        return settings;
    }

    /** Queries sent so far (a query retried counts once): what a refresh's cost is measured in. */
    public long queries() {
        return queries.get();
    }

    /** HTTP requests sent so far, retries included. */
    public long requests() {
        return requests.get();
    }

    /** Response body bytes received so far, as on the wire (gzip-compressed when the server compressed). */
    public long responseBytes() {
        return responseBytes.get();
    }

    /**
     * {@code /api/v1/query_range}: a matrix, points at {@code start, start + step, ... <= end}.
     * Prometheus refuses more than 11,000 points per series; callers split longer ranges.
     */
    public List<Series> queryRange(String query, long startSecond, long endSecond, long stepSeconds) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", query);
        form.put("start", Long.toString(startSecond));
        form.put("end", Long.toString(endSecond));
        form.put("step", Long.toString(stepSeconds));
        return call("query_range", form, "matrix");
    }

    /** {@code /api/v1/query}: an instant vector at {@code timeSecond}, one point per series. */
    public List<Series> query(String query, long timeSecond) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("query", query);
        form.put("time", Long.toString(timeSecond));
        return call("query", form, "vector");
    }

    private List<Series> call(String endpoint, Map<String, String> form, String resultType) throws IOException {
        queries.incrementAndGet();
        // Prometheus' own evaluation timeout: when we stop waiting, it should stop working.
        form.put("timeout", settings.timeout().toMillis() + "ms");
        URI uri = settings.endpoint(endpoint);
        String body = formBody(form);
        Failure last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (last != null) {
                sleep(last.retryAfter.orElse(initialBackoff.multipliedBy(1L << (attempt - 2))));
            }
            Optional<List<Series>> result;
            try {
                result = attempt(uri, body, resultType, form);
            } catch (RetryableException e) {
                last = e.failure;
                LOG.debug("Prometheus {} failed (attempt {} of {}): {}", uri, attempt, ATTEMPTS, e.failure.message);
                continue;
            }
            if (result.isPresent()) {
                return result.get();
            }
        }
        throw failure(uri, form, last.message, last.status, last.cause);
    }

    /** One HTTP exchange; a retryable failure is thrown as {@link RetryableException}. */
    private Optional<List<Series>> attempt(URI uri, String body, String resultType, Map<String, String> form)
            throws IOException, RetryableException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        settings.headers().forEach(request::header);
        bearerToken().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        requests.incrementAndGet();
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new RetryableException(new Failure("cannot connect: " + describe(e), 0, e, Optional.empty()));
        } catch (HttpTimeoutException e) {
            throw failure(uri, form, "no response within " + settings.timeout().toMillis() + " ms (--prometheus-timeout)", 0, e);
        } catch (SSLException e) {
            // An untrusted certificate or a wrong host name does not fix itself in a second.
            throw failure(uri, form, "TLS: " + describe(e) + " (see --prometheus-ca-file)", 0, e);
        } catch (IOException e) {
            throw new RetryableException(new Failure(describe(e), 0, e, Optional.empty()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(uri, form, "interrupted", 0, e);
        }
        int status = response.statusCode();
        // The request timeout ends when the headers arrive; the body gets what is left of it. A
        // blocked read is ended by closing the stream from the watchdog thread.
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(response.body());
        }, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        try (InputStream in = decoded(response)) {
            if (status == 200) {
                Result r;
                try {
                    r = parse(in);
                } catch (IOException e) {
                    if (expired.get()) {
                        throw failure(uri, form, "no complete response within " + settings.timeout().toMillis()
                                + " ms (--prometheus-timeout)", status, e);
                    }
                    // Malformed JSON, or the connection dropped mid-body.
                    throw failure(uri, form, "unreadable response: " + describe(e), status, e);
                }
                if (!"success".equals(r.status)) {
                    throw failure(uri, form, errorText(r, status), status, null);
                }
                if (!resultType.equals(r.resultType)) {
                    throw failure(uri, form, "expected a " + resultType + " result, got " + r.resultType, status, null);
                }
                for (String w : r.warnings) {
                    LOG.warn("Prometheus warning for {}: {} (query: {})", uri, w, form.get("query"));
                }
                return Optional.of(r.series);
            }
            String message = errorMessage(in, status);
            if (status == 429 || status == 502 || status == 503 || status == 504) {
                throw new RetryableException(new Failure(message, status, null, retryAfter(response)));
            }
            throw failure(uri, form, message, status, null);
        } finally {
            watchdog.cancel(false);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing only to unblock a reader
        }
    }

    private static String errorMessage(InputStream in, int status) {
        byte[] bytes;
        try {
            bytes = in.readNBytes(64 * 1024);
        } catch (IOException e) {
            return "HTTP " + status;
        }
        try {
            Result r = parse(new java.io.ByteArrayInputStream(bytes));
            if (r.error != null || r.errorType != null) {
                return errorText(r, status);
            }
        } catch (IOException | RuntimeException e) {
            // Not Prometheus' JSON: a proxy's page; show its beginning.
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        return "HTTP " + status + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
    }

    private static String errorText(Result r, int status) {
        return "HTTP " + status + " " + (r.errorType == null ? "error" : r.errorType) + ": "
                + (r.error == null ? "(no message)" : r.error);
    }

    private PrometheusException failure(URI uri, Map<String, String> form, String what, int status, Throwable cause) {
        StringBuilder params = new StringBuilder();
        form.forEach((k, v) -> {
            if (!k.equals("query") && !k.equals("timeout")) {
                params.append(", ").append(k).append('=').append(v);
            }
        });
        return new PrometheusException("Prometheus query failed: POST " + uri + ": " + what
                + " (query: " + form.get("query") + params + ")", status, cause);
    }

    private Optional<String> bearerToken() throws IOException {
        if (settings.bearerTokenFile() == null) {
            return Optional.empty();
        }
        // Re-read on every request: a projected service-account token is rotated in place.
        try {
            String token = Files.readString(settings.bearerTokenFile(), StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (NoSuchFileException e) {
            throw new IOException("--prometheus-bearer-token-file " + settings.bearerTokenFile() + " does not exist", e);
        }
    }

    private InputStream decoded(HttpResponse<InputStream> response) throws IOException {
        boolean gzip = response.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false);
        InputStream body = new CountingInputStream(response.body(), responseBytes);
        return gzip ? new GZIPInputStream(body, 1 << 16) : body;
    }

    /** Counts the bytes read through it: what a refresh costs the network. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final AtomicLong count;

        CountingInputStream(InputStream in, AtomicLong count) {
            super(in);
            this.count = count;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count.addAndGet(n);
            }
            return n;
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        // Only the delta-seconds form; capped so a confused proxy cannot stall a refresh.
        return response.headers().firstValue("Retry-After").filter(v -> v.matches("\\d{1,4}"))
                .map(v -> Duration.ofSeconds(Math.min(Long.parseLong(v), 10)));
    }

    private static String formBody(Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    /**
     * One line: Jackson puts the location on a second line, and the text ends up in the log and in
     * the served objects' Stale condition.
     */
    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to retry a Prometheus query", e);
        }
    }

    // ---- response parsing ----------------------------------------------------------------------

    private static final class Result {
        String status;
        String errorType;
        String error;
        String resultType;
        final List<String> warnings = new ArrayList<>();
        final List<Series> series = new ArrayList<>();
    }

    /**
     * Reads the API envelope {@code {"status", "data": {"resultType", "result"}, "errorType", "error",
     * "warnings"}} without assuming a field order (other engines order keys differently) and
     * skipping fields it does not know (e.g. {@code infos}, native histograms).
     */
    static Result parse(InputStream in) throws IOException {
        Result r = new Result();
        try (JsonParser p = JSON.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "status" -> r.status = p.getValueAsString();
                    case "errorType" -> r.errorType = p.getValueAsString();
                    case "error" -> r.error = p.getValueAsString();
                    case "warnings" -> {
                        expect(value, JsonToken.START_ARRAY, p);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            r.warnings.add(p.getValueAsString());
                        }
                    }
                    case "data" -> {
                        if (value == JsonToken.START_OBJECT) {
                            parseData(p, r);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (r.status == null) {
                throw new IOException("no \"status\" in the response");
            }
        }
        return r;
    }

    private static void parseData(JsonParser p, Result r) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("resultType")) {
                r.resultType = p.getValueAsString();
            } else if (field.equals("result") && value == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    r.series.add(parseSeries(p));
                }
            } else {
                p.skipChildren();
            }
        }
    }

    /** {@code {"metric": {...}, "values": [[t, "v"], ...]}} or, for a vector, {@code "value": [t, "v"]}. */
    private static Series parseSeries(JsonParser p) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        long[] t = new long[16];
        double[] v = new double[16];
        int n = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "metric" -> {
                    expect(value, JsonToken.START_OBJECT, p);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        labels.put(name, p.getValueAsString());
                    }
                }
                case "values" -> {
                    expect(value, JsonToken.START_ARRAY, p);
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        if (n == t.length) {
                            t = Arrays.copyOf(t, n * 2);
                            v = Arrays.copyOf(v, n * 2);
                        }
                        t[n] = timestamp(p);
                        v[n++] = sampleValue(p);
                    }
                }
                case "value" -> {
                    expect(value, JsonToken.START_ARRAY, p);
                    t[0] = timestamp(p);
                    v[0] = sampleValue(p);
                    n = 1;
                }
                default -> p.skipChildren();
            }
        }
        return new Series(labels, Arrays.copyOf(t, n), Arrays.copyOf(v, n));
    }

    /** A point's time: seconds as a JSON number, possibly fractional ({@code 1435781451.781}). */
    private static long timestamp(JsonParser p) throws IOException {
        JsonToken tok = p.nextToken();
        if (tok != JsonToken.VALUE_NUMBER_INT && tok != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new IOException("expected a timestamp, got " + tok + " at " + p.currentLocation());
        }
        return p.getDecimalValue().movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** A point's value: a string, because JSON has no NaN or infinities ({@code "NaN"}, {@code "+Inf"}). */
    private static double sampleValue(JsonParser p) throws IOException {
        expect(p.nextToken(), JsonToken.VALUE_STRING, p);
        double v = parseValue(p.getText());
        expect(p.nextToken(), JsonToken.END_ARRAY, p);
        return v;
    }

    /** Go's strconv.FormatFloat output as Prometheus writes it, which Double.parseDouble mostly reads. */
    static double parseValue(String s) throws IOException {
        switch (s) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IOException("not a sample value: \"" + s + "\"");
                }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual + " at " + p.currentLocation());
        }
    }

    // ---- TLS -----------------------------------------------------------------------------------

    private static SSLContext sslContext(PrometheusSettings settings) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            if (settings.insecureSkipVerify()) {
                ctx.init(null, new TrustManager[] {new TrustAll()}, null);
            } else if (settings.caFile() != null) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                try (InputStream in = Files.newInputStream(settings.caFile())) {
                    for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("ca-" + i++, c);
                    }
                }
                if (i == 0) {
                    throw new IllegalArgumentException("--prometheus-ca-file " + settings.caFile() + " holds no PEM certificate");
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(store);
                ctx.init(null, tmf.getTrustManagers(), null);
            } else {
                return SSLContext.getDefault();
            }
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("--prometheus-ca-file " + settings.caFile() + ": " + describe(e), e);
        }
    }

    /**
     * Accepts every certificate. Extended (engine-aware) on purpose: JSSE verifies the host name
     * inside the trust manager, and wraps a plain X509TrustManager in one that still checks it.
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    // ---- retry plumbing ------------------------------------------------------------------------

    private record Failure(String message, int status, Throwable cause, Optional<Duration> retryAfter) {
    }

    private static final class RetryableException extends Exception {
        final Failure failure;

        RetryableException(Failure failure) {
            super(failure.message, null, false, false);
            this.failure = failure;
        }
    }
}
