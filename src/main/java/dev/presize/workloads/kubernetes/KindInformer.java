package dev.presize.workloads.kubernetes;

import dev.presize.kubernetes.BackingOffListerWatcher;
import dev.presize.kubernetes.Informers;
import io.kubernetes.client.common.KubernetesListObject;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.TransformFunc;
import io.kubernetes.client.openapi.ApiClient;

import java.util.List;

/**
 * The informer of one workload kind, at the version discovery chose; started again when that
 * choice changes (a cluster upgraded from batch/v1beta1 to batch/v1 CronJobs, a kind that appears).
 * Each run has its own client-java factory, so one kind can be replaced without touching the others.
 *
 * <p>Objects of another version are read into the v1 model: Presize reads only metadata, owner
 * references and the pod template's containers, which batch/v1beta1 CronJobs (Kubernetes 1.20)
 * have in the same shape as batch/v1.
 */
final class KindInformer<T extends KubernetesObject, L extends KubernetesListObject> implements AutoCloseable {

    /**
     * @param versions in preference order, e.g. {@code v1, v1beta1} for CronJobs
     */
    record Spec<T, L>(String resource, String group, List<String> versions, Class<T> type, Class<L> listType,
                      TransformFunc slim) {
    }

    private final Spec<T, L> spec;
    private final ApiClient lists;
    private final ApiClient watches;
    private final long resyncMillis;
    private final KindAvailability availability;
    private volatile Run<T, L> run;

    KindInformer(Spec<T, L> spec, ApiClient lists, ApiClient watches, long resyncMillis, KindAvailability availability) {
        this.spec = spec;
        this.lists = lists;
        this.watches = watches;
        this.resyncMillis = resyncMillis;
        this.availability = availability;
    }

    String resource() {
        return spec.resource();
    }

    String group() {
        return spec.group();
    }

    List<String> versions() {
        return spec.versions();
    }

    /** The discovery choice of the running informer, or null before the first start. */
    ApiDiscovery.Choice choice() {
        Run<T, L> r = run;
        return r == null ? null : r.choice;
    }

    /** Starts listing at {@code choice}, stopping the previous run if there was one. */
    synchronized void start(ApiDiscovery.Choice choice) {
        Run<T, L> previous = run;
        run = new Run<>(this, choice);
        if (previous != null) {
            previous.stop();
        }
        run.factory.startAllRegisteredInformers();
    }

    /** e.g. {@code batch/v1beta1}; {@code v1} for the core group. */
    String groupVersion() {
        Run<T, L> r = run;
        String version = r == null ? spec.versions().get(0) : r.choice.version();
        return spec.group().isEmpty() ? version : spec.group() + "/" + version;
    }

    boolean synced() {
        Run<T, L> r = run;
        return r != null && r.informer.hasSynced();
    }

    /** Synced, or its list failed at least once since this run started: nothing more to wait for. */
    boolean settled() {
        Run<T, L> r = run;
        return r != null && (r.informer.hasSynced() || r.listerWatcher.lastError() != null);
    }

    /** The last failure of this run, one line naming the URL, or null. */
    String lastError() {
        Run<T, L> r = run;
        return r == null ? null : r.listerWatcher.lastError();
    }

    /** The URL this kind is listed from. */
    String url() {
        Run<T, L> r = run;
        return r == null ? groupVersion() + "/" + spec.resource() : r.listerWatcher.url();
    }

    /** The HTTP status of this run's last failed list (0: no answer), or -1 when no list failed. */
    int lastCode() {
        Run<T, L> r = run;
        return r == null ? -1 : r.lastCode;
    }

    ObjectCache<T> cache() {
        return new ObjectCache<>() {
            @Override
            public List<T> list() {
                Run<T, L> r = run;
                return r == null ? List.of() : r.informer.getIndexer().list();
            }

            @Override
            public T get(String namespace, String name) {
                Run<T, L> r = run;
                return r == null ? null : r.informer.getIndexer().getByKey(namespace + "/" + name);
            }
        };
    }

    @Override
    public synchronized void close() {
        if (run != null) {
            run.stop();
        }
    }

    /** One informer at one version, reporting its list outcomes to the availability while it is the current run. */
    private static final class Run<T extends KubernetesObject, L extends KubernetesListObject>
            implements BackingOffListerWatcher.Listener {

        final KindInformer<T, L> owner;
        final ApiDiscovery.Choice choice;
        final SharedInformerFactory factory;
        final BackingOffListerWatcher<T, L> listerWatcher;
        final SharedIndexInformer<T> informer;
        volatile int lastCode = -1;

        Run(KindInformer<T, L> owner, ApiDiscovery.Choice choice) {
            this.owner = owner;
            this.choice = choice;
            Spec<T, L> spec = owner.spec;
            this.factory = Informers.factory(owner.watches, "presize-informer-" + spec.resource());
            this.listerWatcher = new BackingOffListerWatcher<>(spec.type(), spec.listType(), spec.group(), choice.version(),
                    spec.resource(), "", "", owner.lists, owner.watches, this);
            this.informer = factory.sharedIndexInformerFor(listerWatcher, spec.type(), owner.resyncMillis,
                    listerWatcher::watchFailed);
            informer.setTransform(spec.slim());
        }

        @Override
        public void listed() {
            lastCode = -1;
            if (owner.run == this) {
                owner.availability.listed(owner.spec.resource(), owner.groupVersion());
            }
        }

        @Override
        public void listFailed(int code, String error) {
            lastCode = code;
            if (owner.run == this) {
                owner.availability.failed(owner.spec.resource(), owner.groupVersion(), code, error, informer.hasSynced());
            }
        }

        void stop() {
            listerWatcher.closing();
            // Stops the reflector (and its watch). Not shutdownNow(): interrupting client-java's
            // processing loop only makes it log an ERROR; it is an idle daemon thread from here on.
            factory.stopAllRegisteredInformers(true);
        }
    }
}
