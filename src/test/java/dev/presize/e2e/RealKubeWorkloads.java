package dev.presize.e2e;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.presize.history.ContainerSeries;
import dev.presize.history.TraceReader;
import dev.presize.history.prometheus.OpenMetricsWriter;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The workloads whose recommendations {@link RealKubeApiServerTest} reads through the aggregator: one of each
 * owner chain, created in the real kube-apiserver as their controllers would have made them (no controller-manager
 * runs, so the ReplicaSet, the Job and every pod are created by hand, with {@code controller: true} owner
 * references carrying the owners' real UIDs), and where each pod's containers ran, as usage history for a real
 * Prometheus (the slice of {@code traces/bitbrains-rnd-e2e.csv.gz} that {@link PrometheusEndToEndTest} uses, moved
 * in time to end at {@link #end()}).
 *
 * <ul>
 * <li>Deployment {@code web} → ReplicaSet {@code web-5d8f7c9b6} → pods {@code web-5d8f7c9b6-x2x8q},
 *     {@code web-5d8f7c9b6-k2l9p} (containers {@code app} and {@code envoy}).</li>
 * <li>StatefulSet {@code db} → pod {@code db-0}.</li>
 * <li>CronJob {@code backup} at {@code batch/v1beta1} (all Kubernetes 1.20 serves) → Job
 *     {@code backup-<scheduled Unix minute>} → its pod. The CronJob ran daily: only the last run's Job and pod
 *     exist, the pods of the earlier runs are in Prometheus only (as after the controller's history limit), so
 *     they are attributed by the names the CronJob controller generates.</li>
 * <li>The bare pod {@code debug-shell}, without requests.</li>
 * </ul>
 *
 * <p>What Presize should make of them ({@link #expectedWorkloads}, {@link #ownerOf}) is this table's own
 * answer, not Presize's owner-chain code.
 */
final class RealKubeWorkloads {

    static final String NAMESPACE = "shop";
    /** As much history as {@link PrometheusEndToEndTest} reads: enough for the learned model, not its fallback. */
    static final Duration HISTORY = TraceCluster.HISTORY;
    private static final long DAY = 86_400;
    private static final String REPLICA_SET = "web-5d8f7c9b6";
    private static final List<String> WEB_PODS = List.of(REPLICA_SET + "-x2x8q", REPLICA_SET + "-k2l9p");
    /** Random pod-name suffixes of the CronJob's daily runs (the alphabet of k8s.io/apimachinery/pkg/util/rand). */
    private static final String[] RUN_SUFFIXES = {"b2c4d", "f5g6h", "j7k8l", "m9n2p", "q4r5s", "t6v7w", "x8z9b",
            "c2d4f", "g5h6j", "k7l8m", "n9p2q", "r4s6t", "v8w2x", "7xk2p"};

    private static final ContainerSpec APP = new ContainerSpec("app", 1.0, 2.0 * 1024 * 1024 * 1024);
    private static final ContainerSpec ENVOY = new ContainerSpec("envoy", 0.1, 128.0 * 1024 * 1024);
    private static final ContainerSpec POSTGRES = new ContainerSpec("postgres", 2.0, 4.0 * 1024 * 1024 * 1024);
    private static final ContainerSpec MAIN = new ContainerSpec("main", 0.5, 1024.0 * 1024 * 1024);
    private static final ContainerSpec SHELL = new ContainerSpec("shell", null, null);

    /** The samples of trace VM {@code vm} in {@code [from, to)} ran as {@code container} of {@code pod}. */
    record Placement(String vm, String pod, String container, Instant from, Instant to) {
    }

    private final Instant end;
    private final Instant start;
    private final String lastJob;
    private final String lastJobPod;
    private final List<Placement> placements = new ArrayList<>();
    private final Map<String, WorkloadRef> owners = new HashMap<>();

    /** @param end the end of the history, a whole hour */
    RealKubeWorkloads(Instant end) {
        if (end.getEpochSecond() % 3600 != 0) {
            throw new IllegalArgumentException("the history must end on a whole hour, not " + end);
        }
        this.end = end;
        this.start = end.minus(HISTORY);
        WorkloadRef web = new WorkloadRef(NAMESPACE, WorkloadKind.DEPLOYMENT, "web");
        place("vm-303", web, WEB_PODS.get(0), "app", start, end);
        place("vm-312", web, WEB_PODS.get(0), "envoy", start, end);
        place("vm-241", web, WEB_PODS.get(1), "app", start, end);
        place("vm-13", web, WEB_PODS.get(1), "envoy", start, end);
        place("vm-380", new WorkloadRef(NAMESPACE, WorkloadKind.STATEFUL_SET, "db"), "db-0", "postgres", start, end);
        place("vm-428", new WorkloadRef(NAMESPACE, WorkloadKind.POD, "debug-shell"), "debug-shell", "shell", start, end);
        // One Job a day, named <cronjob>-<scheduled time in Unix minutes> as the CronJob controller names them.
        WorkloadRef backup = new WorkloadRef(NAMESPACE, WorkloadKind.CRON_JOB, "backup");
        int days = (int) (HISTORY.toSeconds() / DAY);
        String job = null;
        String pod = null;
        for (int d = 0; d < days; d++) {
            Instant run = start.plusSeconds(d * DAY);
            job = "backup-" + run.getEpochSecond() / 60;
            pod = job + "-" + RUN_SUFFIXES[d];
            place("vm-288", backup, pod, "main", run, run.plusSeconds(DAY));
        }
        this.lastJob = job;
        this.lastJobPod = pod;
    }

    Instant end() {
        return end;
    }

    /** The history as cAdvisor series for {@link dev.presize.history.prometheus.PrometheusProcess}. */
    OpenMetricsWriter openMetrics() throws IOException {
        Map<String, ContainerSeries> vms = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("/traces/bitbrains-rnd-e2e.csv.gz")) {
            for (ContainerSeries s : new TraceReader().read(in, "bitbrains-rnd-e2e.csv.gz")) {
                // The slice ends at TraceCluster.END; a whole number of hours later, it ends at end().
                vms.put(s.workload(), s.shifted(end.getEpochSecond() - TraceCluster.END.getEpochSecond()));
            }
        }
        OpenMetricsWriter writer = new OpenMetricsWriter();
        for (Placement p : placements) {
            ContainerSeries cut = vms.get(p.vm()).between(p.from().getEpochSecond(), p.to().getEpochSecond());
            if (cut.isEmpty()) {
                throw new IllegalStateException(p + " has no samples in the slice");
            }
            writer.add(new ContainerSeries(NAMESPACE, p.pod(), p.container(), cut.timestamps(), cut.cpuCores(),
                    cut.memoryBytes(), cut.cpuRequestCores(), cut.memoryRequestBytes()), p.pod());
        }
        return writer;
    }

    /**
     * Creates the objects in the cluster behind {@code admin} (a {@code system:masters} kubectl), owners first so
     * their children's owner references carry the real UIDs, and returns the workloads Presize should find, in the
     * order it lists them (namespace, name, kind), with the creation times and labels kube-apiserver stored.
     */
    List<Workload> create(Kubectl admin, Path dir) throws IOException {
        apply(admin, dir, "owners", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: %1$s}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %1$s, labels: {app: web, tier: frontend}}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [%2$s, %3$s]}
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: %1$s, labels: {app: db}}
                spec:
                  replicas: 1
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [%4$s]}
                ---
                apiVersion: batch/v1beta1
                kind: CronJob
                metadata: {name: backup, namespace: %1$s, labels: {app: backup}}
                spec:
                  schedule: "0 %5$d * * *"
                  jobTemplate:
                    spec:
                      template:
                        metadata: {labels: {app: backup}}
                        spec: {restartPolicy: OnFailure, containers: [%6$s]}
                """.formatted(NAMESPACE, container(APP), container(ENVOY), container(POSTGRES),
                end.atZone(ZoneOffset.UTC).getHour(), container(MAIN)));
        Map<String, JsonObject> top = get(admin, "deployment/web", "statefulset/db", "cronjobs.v1beta1.batch/backup");

        apply(admin, dir, "controllers", """
                apiVersion: apps/v1
                kind: ReplicaSet
                metadata:
                  name: %2$s
                  namespace: %1$s
                  labels: {app: web, pod-template-hash: %3$s}
                  ownerReferences: [%4$s]
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web, pod-template-hash: %3$s}}
                  template:
                    metadata: {labels: {app: web, pod-template-hash: %3$s}}
                    spec: {containers: [%5$s, %6$s]}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: %7$s
                  namespace: %1$s
                  ownerReferences: [%8$s]
                spec:
                  template:
                    metadata: {labels: {app: backup}}
                    spec: {restartPolicy: OnFailure, containers: [%9$s]}
                """.formatted(NAMESPACE, REPLICA_SET, REPLICA_SET.substring("web-".length()),
                owner(top.get("Deployment/web")), container(APP), container(ENVOY),
                lastJob, owner(top.get("CronJob/backup")), container(MAIN)));
        Map<String, JsonObject> controllers = get(admin, "replicaset/" + REPLICA_SET, "jobs.v1.batch/" + lastJob);

        StringBuilder pods = new StringBuilder();
        for (String pod : WEB_PODS) {
            pods.append(pod(pod, "{app: web, pod-template-hash: " + REPLICA_SET.substring("web-".length()) + "}",
                    owner(controllers.get("ReplicaSet/" + REPLICA_SET)), "", APP, ENVOY));
        }
        pods.append(pod(lastJobPod, "{app: backup, job-name: " + lastJob + "}", owner(controllers.get("Job/" + lastJob)),
                "restartPolicy: OnFailure, ", MAIN));
        pods.append(pod("db-0", "{app: db}", owner(top.get("StatefulSet/db")), "", POSTGRES));
        // Last: pods reach an informer through one watch, in resourceVersion order, so a pods cache that holds
        // debug-shell holds the others too.
        pods.append(pod("debug-shell", "{run: debug-shell}", null, "", SHELL));
        apply(admin, dir, "pods", pods.toString());
        top.putAll(get(admin, "pod/debug-shell"));

        List<Workload> workloads = new ArrayList<>(List.of(
                workload(top.get("Deployment/web"), WorkloadKind.DEPLOYMENT, null, APP, ENVOY),
                workload(top.get("StatefulSet/db"), WorkloadKind.STATEFUL_SET, null, POSTGRES),
                // target.apiVersion: the version the cluster serves CronJobs at.
                workload(top.get("CronJob/backup"), WorkloadKind.CRON_JOB, "batch/v1beta1", MAIN),
                workload(top.get("Pod/debug-shell"), WorkloadKind.POD, null, SHELL)));
        workloads.sort(Comparator.comparing(Workload::namespace).thenComparing(Workload::name).thenComparing(Workload::kind));
        return workloads;
    }

    /** The pods that exist in the cluster and the workload each one's owner chain leads to. */
    Map<String, WorkloadRef> livePods() {
        Map<String, WorkloadRef> live = new LinkedHashMap<>();
        for (String pod : List.of(WEB_PODS.get(0), WEB_PODS.get(1), "db-0", lastJobPod, "debug-shell")) {
            live.put(pod, owners.get(pod));
        }
        return live;
    }

    /** The workload whose container a pod in Prometheus was, by this table. */
    Optional<WorkloadRef> ownerOf(String namespace, String pod) {
        return NAMESPACE.equals(namespace) ? Optional.ofNullable(owners.get(pod)) : Optional.empty();
    }

    private void place(String vm, WorkloadRef owner, String pod, String container, Instant from, Instant to) {
        placements.add(new Placement(vm, pod, container, from, to));
        owners.put(pod, owner);
    }

    private static String container(ContainerSpec c) {
        String resources = c.cpuRequestCores() == null ? ""
                : ", resources: {requests: {cpu: \"%dm\", memory: \"%dMi\"}}".formatted(
                        Math.round(c.cpuRequestCores() * 1000), Math.round(c.memoryRequestBytes() / (1024 * 1024)));
        return "{name: " + c.name() + ", image: \"registry.example/" + c.name() + ":1.4.2\"" + resources + "}";
    }

    private static String pod(String name, String labels, String owner, String specExtra, ContainerSpec... containers) {
        List<String> list = new ArrayList<>();
        for (ContainerSpec c : containers) {
            list.add(container(c));
        }
        return """
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                  labels: %s
                  ownerReferences: [%s]
                spec: {%scontainers: [%s]}
                """.formatted(name, NAMESPACE, labels, owner == null ? "" : owner, specExtra, String.join(", ", list));
    }

    /** A controller owner reference to {@code o}, as a controller sets it (apiVersion, kind, name, real UID). */
    private static String owner(JsonObject o) {
        JsonObject meta = o.getAsJsonObject("metadata");
        return "{apiVersion: %s, kind: %s, name: %s, uid: %s, controller: true, blockOwnerDeletion: true}".formatted(
                o.get("apiVersion").getAsString(), o.get("kind").getAsString(), meta.get("name").getAsString(),
                meta.get("uid").getAsString());
    }

    private static Workload workload(JsonObject o, WorkloadKind kind, String apiVersion, ContainerSpec... containers) {
        JsonObject meta = o.getAsJsonObject("metadata");
        Map<String, String> labels = new TreeMap<>();
        if (meta.has("labels")) {
            meta.getAsJsonObject("labels").entrySet().forEach(e -> labels.put(e.getKey(), e.getValue().getAsString()));
        }
        return new Workload(meta.get("namespace").getAsString(), kind, meta.get("name").getAsString(), labels,
                Instant.parse(meta.get("creationTimestamp").getAsString()), List.of(containers), apiVersion);
    }

    private static void apply(Kubectl admin, Path dir, String name, String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".yaml"), yaml);
        Kubectl.Result r = admin.run("create", "-f", file.toString());
        if (r.exitCode() != 0) {
            throw new AssertionError("kubectl create -f " + file + ": " + r.all() + "\n" + yaml);
        }
    }

    /** The objects as kube-apiserver stored them, keyed "Kind/name". */
    private static Map<String, JsonObject> get(Kubectl admin, String... objects) {
        List<String> args = new ArrayList<>(List.of("get", "-n", NAMESPACE, "-o", "json"));
        args.addAll(List.of(objects));
        Kubectl.Result r = admin.run(args.toArray(String[]::new));
        if (r.exitCode() != 0) {
            throw new AssertionError("kubectl " + String.join(" ", args) + ": " + r.all());
        }
        JsonObject answer = JsonParser.parseString(r.stdout()).getAsJsonObject();
        // One object comes back as itself, more as a List.
        List<JsonElement> items = new ArrayList<>();
        if (answer.has("items")) {
            answer.getAsJsonArray("items").forEach(items::add);
        } else {
            items.add(answer);
        }
        Map<String, JsonObject> out = new HashMap<>();
        for (JsonElement e : items) {
            JsonObject o = e.getAsJsonObject();
            out.put(o.get("kind").getAsString() + "/" + o.getAsJsonObject("metadata").get("name").getAsString(), o);
        }
        if (out.size() != objects.length) {
            throw new AssertionError("expected " + objects.length + " objects: " + out.keySet());
        }
        return out;
    }
}
