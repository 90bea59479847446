import dev.presize.v1beta1.Condition;
import dev.presize.v1beta1.ContainerRequests;
import dev.presize.v1beta1.ModelInfo;
import dev.presize.v1beta1.ObjectMeta;
import dev.presize.recommendations.RefreshSchedule;
import dev.presize.v1beta1.Requests;
import dev.presize.v1beta1.ResourceAmounts;
import dev.presize.recommendations.Snapshot;
import dev.presize.recommendations.SnapshotStore;
import dev.presize.v1beta1.Target;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Benchmark-only server: the real Presize demo server (same jar, same HTTP stack, same TLS, same
 * code path for every request; --demo's authentication settings, i.e. none), whose snapshot is then
 * replaced with N synthetic workloads. Run with the source launcher against the fat jar:
 *
 * <pre>java -cp target/presize.jar bench/load/SnapshotServer.java WORKLOADS PORT DIR</pre>
 *
 * The synthetic objects are copies of the demo's real computed objects (same containers, bounds,
 * model info, conditions), renamed {@code <name>-<i>} into namespaces of 100 workloads each
 * ({@code bench-0000}, {@code bench-0001}, ...), so their size and shape are those of real objects.
 * Every copy is deep, down to its own strings, so the memory a workload costs is not understated by
 * objects sharing parts the way no two real refresh results would.
 * The demo's refresh schedule is stopped first, so no refresh replaces them during the run.
 * Prints one line {@code READY <port> <objects>} when serving.
 */
public class SnapshotServer {

    static final int PER_NAMESPACE = 100;

    public static void main(String[] args) {
        int workloads = Integer.parseInt(args[0]);
        int port = Integer.parseInt(args[1]);
        String dir = args[2];
        ApplicationContext context = ApplicationContext.builder()
                .properties(Map.of(
                        "presize.demo", "true",
                        "presize.secure-port", Integer.toString(port),
                        "presize.bind-address", "127.0.0.1",
                        "presize.cert-dir", dir + "/certs",
                        "presize.demo-kubeconfig", dir + "/demo.kubeconfig"))
                .start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        if (!server.isRunning()) {
            server.start();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(context::close));
        // The startup refresh has run (it is synchronous); stop the schedule before replacing its result.
        context.destroyBean(RefreshSchedule.class);
        SnapshotStore store = context.getBean(SnapshotStore.class);
        Snapshot demo = store.current();
        List<Requests> templates = demo.list(null);
        if (templates.isEmpty()) {
            throw new IllegalStateException("the demo computed no objects to copy");
        }
        Snapshot synthetic = store.replace(synthesize(templates, workloads), demo.resourceVersion() + 1);
        System.out.println("READY " + server.getPort() + " " + synthetic.size());
        System.out.flush();
    }

    static List<Requests> synthesize(List<Requests> templates, int n) {
        List<Requests> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Requests t = templates.get(i % templates.size());
            String namespace = String.format("bench-%04d", i / PER_NAMESPACE);
            String name = t.name() + "-" + i;
            Map<String, String> labels = new TreeMap<>();
            if (t.metadata().labels() != null) {
                t.metadata().labels().forEach((k, v) -> labels.put(s(k), s(v)));
            }
            labels.put("app", name);
            ObjectMeta meta = new ObjectMeta(name, namespace, s(t.metadata().creationTimestamp()), labels, null);
            Target target = new Target(t.target().apiVersion(), t.target().kind(), s(name));
            List<ContainerRequests> containers = t.containers().stream()
                    .map(c -> new ContainerRequests(s(c.name()), copy(c.requests()), copy(c.lowerBound()), copy(c.upperBound()),
                            copy(c.current())))
                    .toList();
            ModelInfo model = t.model() == null ? null
                    : new ModelInfo(s(t.model().name()), s(t.model().trainedAt()), t.model().samples(), t.model().confidence());
            List<Condition> conditions = t.conditions() == null ? null : t.conditions().stream()
                    .map(c -> new Condition(s(c.type()), s(c.status()), s(c.reason()), s(c.message()), s(c.lastTransitionTime())))
                    .toList();
            out.add(new Requests(t.apiVersion(), t.kind(), meta, target, s(t.timestamp()), s(t.window()), copy(t.resources()),
                    containers, model, conditions));
        }
        return out;
    }

    private static ResourceAmounts copy(ResourceAmounts a) {
        return a == null ? null : new ResourceAmounts(s(a.cpu()), s(a.memory()));
    }

    /** A string of its own (not the template's instance). */
    private static String s(String v) {
        return v == null ? null : new String(v.toCharArray());
    }
}
