package dev.presize.history.prometheus;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted stand-in for the Prometheus HTTP API on 127.0.0.1, for protocol edge cases that a real
 * Prometheus will not produce on demand. Records every request it receives.
 */
final class FakePrometheus implements AutoCloseable {

    record Request(String method, String path, Map<String, List<String>> headers, Map<String, String> form) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /**
     * @param delayMillis   wait before answering at all
     * @param stallMillis   after the headers and half the body, wait this long before the rest
     */
    record Response(int status, String body, Map<String, String> headers, long delayMillis, long stallMillis) {
        static Response json(int status, String body) {
            return new Response(status, body, Map.of(), 0, 0);
        }
    }

    @FunctionalInterface
    interface Handler {
        Response handle(Request request, int index) throws Exception;
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private volatile Handler handler = (r, i) -> Response.json(404, "not scripted");

    FakePrometheus() throws IOException {
        this(null);
    }

    /** With {@code tls}, serves HTTPS (HTTP/1.1 only: the JDK server has no ALPN, so clients fall back). */
    FakePrometheus(javax.net.ssl.SSLContext tls) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 0);
        } else {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/", this::serve);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-prometheus");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    FakePrometheus handler(Handler h) {
        this.handler = h;
        return this;
    }

    URI url() {
        String scheme = server instanceof com.sun.net.httpserver.HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> form = new LinkedHashMap<>();
            for (String pair : body.isEmpty() ? new String[0] : body.split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            Request request = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    Map.copyOf(ex.getRequestHeaders()), form);
            int index = requests.size();
            requests.add(request);
            Response response;
            try {
                response = handler.handle(request, index);
            } catch (Exception e) {
                response = Response.json(500, "fake failed: " + e);
            }
            if (response.delayMillis() > 0) {
                try {
                    Thread.sleep(response.delayMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            response.headers().forEach(ex.getResponseHeaders()::set);
            ex.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                if (response.stallMillis() > 0) {
                    out.write(bytes, 0, bytes.length / 2);
                    out.flush();
                    try {
                        Thread.sleep(response.stallMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                    out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
                } else {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // the client gave up (timeout tests)
        }
    }

    /** A matrix response: one series per label map, values as Prometheus formats them. */
    static String matrix(List<Map<String, String>> labels, List<List<Object[]>> points) {
        StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int s = 0; s < labels.size(); s++) {
            if (s > 0) {
                sb.append(',');
            }
            sb.append("{\"metric\":{");
            int i = 0;
            for (Map.Entry<String, String> e : labels.get(s).entrySet()) {
                sb.append(i++ > 0 ? "," : "").append('"').append(e.getKey()).append("\":\"").append(e.getValue()).append('"');
            }
            sb.append("},\"values\":[");
            int j = 0;
            for (Object[] p : points.get(s)) {
                sb.append(j++ > 0 ? "," : "").append('[').append(p[0]).append(",\"").append(p[1]).append("\"]");
            }
            sb.append("]}");
        }
        return sb.append("]}}").toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
