package dev.presize.kubernetes;

import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watchable;
import io.kubernetes.client.util.generic.GenericKubernetesApi;
import io.kubernetes.client.util.generic.KubernetesApiResponse;
import io.kubernetes.client.util.generic.options.ListOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a client-java informer lists and watches: one resource, cluster-wide or in one namespace,
 * optionally narrowed by a field selector (e.g. {@code metadata.name=x} for a single object, which
 * RBAC's {@code resourceNames} allows). Lists go through the lists client (a read timeout), watches
 * through the watches client (none).
 *
 * <p>client-java's reflector retries a failed list every second; this adds a capped exponential
 * backoff with jitter (0.5 s, 1 s, 2 s ... 30 s, each plus up to 20 %, as client-go's
 * {@code wait.Backoff} with {@code Jitter: 0.2}) so an API server that is down is not hammered and
 * replicas do not retry in step, logs the first failure of a run at WARN and the rest at DEBUG, and
 * keeps the last failure so callers can say why nothing is synced. A caller that reports changes of
 * state itself passes a {@link Listener}; this class then logs list failures at DEBUG only, so each
 * change is one line. Pass {@link #watchFailed} to the informer as its exception handler.
 */
public final class BackingOffListerWatcher<T extends KubernetesObject, L extends KubernetesListObject> implements ListerWatcher<T, L> {

    private static final Logger LOG = LoggerFactory.getLogger(BackingOffListerWatcher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final double JITTER = 0.2;

    /** Told of every list outcome, so the caller can track (and report) availability itself. */
    public interface Listener {
        void listed();

        /** @param code the HTTP status of the failed list, 0 when there was no answer (I/O, timeout) */
        void listFailed(int code, String error);
    }

    private static final Listener NONE = new Listener() {
        @Override
        public void listed() {
        }

        @Override
        public void listFailed(int code, String error) {
        }
    };

    private final String what;
    private final GenericKubernetesApi<T, L> lists;
    private final GenericKubernetesApi<T, L> watches;
    private final String namespace;
    private final String fieldSelector;
    private final String url;
    private final Listener listener;
    private volatile String lastError;
    private volatile Throwable lastListFailure;
    private volatile boolean closing;
    private int failures;

    /**
     * @param group         empty for the core group
     * @param resource      the plural, e.g. {@code pods}
     * @param namespace     empty for cluster-wide
     * @param fieldSelector empty for none
     */
    public BackingOffListerWatcher(Class<T> type, Class<L> listType, String group, String version, String resource,
                                   String namespace, String fieldSelector, ApiClient lists, ApiClient watches) {
        this(type, listType, group, version, resource, namespace, fieldSelector, lists, watches, null);
    }

    /** @param listener told of every list outcome; null to have this class log failures itself */
    public BackingOffListerWatcher(Class<T> type, Class<L> listType, String group, String version, String resource,
                                   String namespace, String fieldSelector, ApiClient lists, ApiClient watches,
                                   Listener listener) {
        this.listener = listener == null ? NONE : listener;
        this.what = resource + (namespace.isEmpty() ? "" : " in " + namespace) + (fieldSelector.isEmpty() ? "" : " (" + fieldSelector + ")");
        this.lists = new GenericKubernetesApi<>(type, listType, group, version, resource, lists);
        this.watches = new GenericKubernetesApi<>(type, listType, group, version, resource, watches);
        this.namespace = namespace;
        this.fieldSelector = fieldSelector;
        this.url = lists.getBasePath() + (group.isEmpty() ? "/api/" : "/apis/" + group + "/") + version
                + (namespace.isEmpty() ? "" : "/namespaces/" + namespace) + "/" + resource;
    }

    /** The URL listed, e.g. {@code https://10.0.0.1:443/apis/batch/v1/cronjobs}. */
    public String url() {
        return url;
    }

    /** The last list or watch failure, one line, or {@code null} after a successful list. */
    public String lastError() {
        return lastError;
    }

    /** From now on failures are the shutdown's doing and are not reported. */
    public void closing() {
        closing = true;
    }

    @Override
    public L list(CallGeneratorParams params) throws ApiException {
        backOff();
        ApiException failure;
        String error;
        try {
            KubernetesApiResponse<L> response = namespace.isEmpty() ? lists.list(options(params)) : lists.list(namespace, options(params));
            if (response.isSuccess()) {
                listed();
                listener.listed();
                return response.getObject();
            }
            V1Status status = response.getStatus();
            error = KubernetesErrors.describe("GET", url, response.getHttpStatusCode(),
                    status == null || status.getMessage() == null ? "" : KubernetesErrors.oneLine(status.getMessage()));
            failure = new ApiException(response.getHttpStatusCode(), error);
        } catch (RuntimeException e) {
            // client-java wraps I/O failures (connection refused, timeouts) in a RuntimeException.
            error = KubernetesErrors.describe("GET", url, e);
            failure = new ApiException(e);
        }
        listFailed(failure, error);
        listener.listFailed(failure.getCode(), error);
        throw failure;
    }

    @Override
    public Watchable<T> watch(CallGeneratorParams params) throws ApiException {
        return namespace.isEmpty() ? watches.watch(options(params)) : watches.watch(namespace, options(params));
    }

    /** client-java's reflector reports list and watch failures here; list failures are already recorded. */
    public void watchFailed(Class<T> type, Throwable t) {
        if (t == lastListFailure) {
            return;
        }
        if (closing) {
            LOG.debug("Watch of {} ended by shutdown: {}", what, t.toString());
            return;
        }
        String error = KubernetesErrors.describe("GET", url + "?watch=true", t);
        lastError = "watch: " + error;
        LOG.warn("Watch of {} failed; listing again from the last resourceVersion seen: {}", what, error);
    }

    private ListOptions options(CallGeneratorParams params) {
        ListOptions options = new ListOptions();
        options.setResourceVersion(params.resourceVersion);
        options.setTimeoutSeconds(params.timeoutSeconds);
        if (!fieldSelector.isEmpty()) {
            options.setFieldSelector(fieldSelector);
        }
        return options;
    }

    /** Before a retry: 0.5 s, 1 s, 2 s ... 30 s plus jitter, on top of the reflector's own second between attempts. */
    private void backOff() throws ApiException {
        int f;
        synchronized (this) {
            f = failures;
        }
        if (f == 0) {
            return;
        }
        long millis = backoffMillis(f, ThreadLocalRandom.current().nextDouble());
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted while backing off");
        }
    }

    /** The wait before attempt {@code failures + 1}: doubling from 0.5 s, capped at 30 s, then up to 20 % more. */
    static long backoffMillis(int failures, double random) {
        long base = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(failures - 1, 10));
        return base + (long) (base * JITTER * random);
    }

    private void listed() {
        synchronized (this) {
            if (failures > 0 && listener == NONE) {
                LOG.info("Listing {} works again after {} failed attempts", what, failures);
            }
            failures = 0;
        }
        lastError = null;
    }

    private void listFailed(ApiException failure, String error) {
        lastListFailure = failure;
        synchronized (this) {
            failures++;
            if (failures == 1 && listener == NONE) {
                LOG.warn("Cannot list {} (retrying in the background): {}", what, error);
            } else {
                LOG.debug("Cannot list {} (attempt {}): {}", what, failures, error);
            }
        }
        lastError = error;
    }
}
