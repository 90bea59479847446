package dev.presize.security;

import com.google.gson.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Follows one ConfigMap as an informer would: GET it, then watch it from that resourceVersion
 * (field selector on its name, which RBAC's {@code resourceNames} allows); every time the watch
 * ends, for whatever reason, GET it again and watch again after a short back-off, so a change is
 * never missed, even by a server that closes watches early. {@code onChange} gets the data,
 * or empty when the ConfigMap does not exist.
 */
public final class ConfigMapWatch {

    /** One read: the data (empty when there is no such ConfigMap) and the resourceVersion to watch from. */
    public record Snapshot(Optional<Map<String, String>> data, String resourceVersion) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConfigMapWatch.class);
    static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final int WATCH_TIMEOUT_SECONDS = 300;
    /** How often a ConfigMap that does not exist (nothing to watch from) is looked for again. */
    static final Duration ABSENT_POLL = Duration.ofSeconds(10);

    private final KubernetesApiClient api;
    private final String namespace;
    private final String name;
    private final Duration timeout;
    private final Consumer<Optional<Map<String, String>>> onChange;
    private volatile boolean running;
    private Thread thread;

    public ConfigMapWatch(KubernetesApiClient api, String namespace, String name, Duration timeout,
                          Consumer<Optional<Map<String, String>>> onChange) {
        this.api = api;
        this.namespace = namespace;
        this.name = name;
        this.timeout = timeout;
        this.onChange = onChange;
    }

    public String describe() {
        return "ConfigMap " + namespace + "/" + name;
    }

    /** One GET of the ConfigMap; a 404 is an empty snapshot, not an error (as k8s.io/apiserver treats it). */
    public Snapshot fetch() throws KubernetesApiException {
        KubernetesApiClient.Response r;
        try {
            r = api.get("/api/v1/namespaces/" + namespace + "/configmaps/" + name, timeout);
        } catch (KubernetesApiException e) {
            if (e.getMessage().endsWith("HTTP 404")) {
                return new Snapshot(Optional.empty(), "");
            }
            throw e;
        }
        try {
            JsonObject o = Json.object(r.body());
            return new Snapshot(Optional.of(Json.stringMap(o, "data")), Json.string(Json.object(o, "metadata"), "resourceVersion"));
        } catch (IllegalArgumentException e) {
            throw new KubernetesApiException(describe() + ": unreadable answer: " + e.getMessage());
        }
    }

    /** Starts following changes from {@code from} on a daemon thread. */
    public synchronized void start(Snapshot from) {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(() -> loop(from.resourceVersion()), "presize-configmap-watch");
        thread.setDaemon(true);
        thread.start();
    }

    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop(String resourceVersion) {
        String rv = resourceVersion;
        Duration backoff = MIN_BACKOFF;
        String lastProblem = null;
        while (running) {
            try {
                if (!rv.isEmpty()) {
                    String[] latest = {rv};
                    api.watch(watchPath(rv), timeout, line -> latest[0] = onEvent(line, latest[0]));
                    rv = latest[0];
                }
                sleep(rv.isEmpty() ? ABSENT_POLL : backoff);
                Snapshot s = fetch();
                onChange.accept(s.data());
                rv = s.resourceVersion();
                backoff = MIN_BACKOFF;
                lastProblem = null;
            } catch (InterruptedException e) {
                return;
            } catch (KubernetesApiException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!String.valueOf(e.getMessage()).equals(lastProblem)) {
                    LOG.warn("Following {}: {} (keeping the current settings, retrying)", describe(), e.getMessage());
                    lastProblem = String.valueOf(e.getMessage());
                }
                rv = "";
                try {
                    sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Applies one watch event; returns the resourceVersion to resume from. */
    private String onEvent(String line, String rv) {
        JsonObject event = Json.object(line.getBytes(StandardCharsets.UTF_8));
        String type = Json.string(event, "type");
        JsonObject object = Json.object(event, "object");
        String next = Json.string(Json.object(object, "metadata"), "resourceVersion");
        switch (type) {
            case "ADDED", "MODIFIED" -> onChange.accept(Optional.of(Json.stringMap(object, "data")));
            case "DELETED" -> onChange.accept(Optional.empty());
            case "BOOKMARK" -> {
            }
            // ERROR (e.g. 410 Gone: the resourceVersion is too old) ends this watch; the loop re-reads.
            default -> throw new IllegalArgumentException("watch event " + type + ": " + Json.string(object, "message"));
        }
        return next.isEmpty() ? rv : next;
    }

    private String watchPath(String rv) {
        return "/api/v1/namespaces/" + namespace + "/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=" + WATCH_TIMEOUT_SECONDS
                + "&fieldSelector=" + URLEncoder.encode("metadata.name=" + name, StandardCharsets.UTF_8)
                + "&resourceVersion=" + URLEncoder.encode(rv, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
