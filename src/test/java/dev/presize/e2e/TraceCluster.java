package dev.presize.e2e;

import dev.presize.security.FakeKubeApiServer;
import dev.presize.security.TestCertificates;
import java.nio.file.Path;
import dev.presize.history.ContainerSeries;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1CronJobSpec;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1DaemonSetSpec;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1JobTemplateSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ReplicaSet;
import io.kubernetes.client.openapi.models.V1ReplicaSetSpec;
import io.kubernetes.client.openapi.models.V1ReplicationController;
import io.kubernetes.client.openapi.models.V1ReplicationControllerSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V1StatefulSetSpec;

import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster of the end-to-end test: workloads of most kinds in three namespaces, as kube-apiserver
 * would list them, and where the usage of each VM of the trace slice
 * ({@code traces/bitbrains-rnd-e2e.csv.gz}) ran, as pod and container names in Prometheus.
 *
 * <p>History outlives pods here as in a real cluster: the Deployment {@code web} was rolled out
 * 60 hours before the end, so the first 276 hours of its {@code app} container ran in a pod of a
 * ReplicaSet that is gone, and its {@code envoy} sidecar came with that rollout (60 hours of
 * history: under the 72 h a calibration origin needs, so that container is sized from a past shorter
 * than any the model calibrated on). The CronJob
 * {@code backup} ran one Job a day; only the last Job and its pod still exist. A StatefulSet is also
 * called {@code web}, so its object is {@code web.statefulset}.
 *
 * <p>Independently of Presize's owner-chain and pod-name code, {@link #expectedWorkloads()} and
 * {@link #ownerOf} say what the test expects Presize to derive from these objects.
 */
final class TraceCluster {

    /** The end of the slice and of the history: the instant the test's clock stands at first. */
    static final Instant END = Instant.parse("2013-08-15T00:00:00Z");
    static final Duration HISTORY = Duration.ofHours(336);
    static final Instant START = END.minus(HISTORY);
    private static final Instant ROLLOUT = END.minus(Duration.ofHours(60));
    private static final long DAY = 86_400;

    /**
     * The samples of trace VM {@code vm} in {@code [from, to)} ran as {@code container} of {@code pod};
     * without {@code memoryMetric}, Prometheus has its CPU series only (as when cAdvisor's memory
     * metric is dropped by a relabelling rule).
     */
    record Placement(String vm, String namespace, String pod, String container, Instant from, Instant to,
                     boolean memoryMetric) {
    }

    private final List<Placement> placements = new ArrayList<>();
    private final Map<String, List<KubernetesObject>> objects = new LinkedHashMap<>();
    private final List<Workload> workloads = new ArrayList<>();
    private final Map<String, WorkloadRef> owners = new HashMap<>();

    TraceCluster() {
        shop();
        data();
        monitoring();
        // The order Presize lists workloads in (OwnerChains: namespace, name, kind); the model is
        // trained over containers in this order.
        workloads.sort(Comparator.comparing(Workload::namespace).thenComparing(Workload::name).thenComparing(Workload::kind));
    }

    private void shop() {
        String ns = "shop";
        Workload web = workload(ns, WorkloadKind.DEPLOYMENT, "web", "2013-05-02T09:00:00Z", Map.of("app", "web", "tier", "frontend"),
                new ContainerSpec("app", 1.0, 6.0 * GI), new ContainerSpec("envoy", 0.1, 128.0 * MI));
        V1PodTemplateSpec webTemplate = template(Map.of("app", "web"), web);
        add("deployments", new V1Deployment().apiVersion("apps/v1").kind("Deployment").metadata(meta(web))
                .spec(new V1DeploymentSpec().replicas(1).selector(selector("app", "web")).template(webTemplate)));
        V1ObjectMeta rs = meta("ReplicaSet", ns, "web-7d9f8b6c4", ROLLOUT, Map.of("app", "web", "pod-template-hash", "7d9f8b6c4"),
                owner("apps/v1", "Deployment", ns, "web"));
        add("replicasets", new V1ReplicaSet().apiVersion("apps/v1").kind("ReplicaSet").metadata(rs)
                .spec(new V1ReplicaSetSpec().replicas(1).selector(selector("app", "web")).template(webTemplate)));
        livePod(web, "web-7d9f8b6c4-x2x8q", Map.of("app", "web", "pod-template-hash", "7d9f8b6c4"),
                owner("apps/v1", "ReplicaSet", ns, "web-7d9f8b6c4"), ROLLOUT);
        place("vm-303", web, "web-5c8d7f9b6-k2l9p", "app", START, ROLLOUT);
        place("vm-303", web, "web-7d9f8b6c4-x2x8q", "app", ROLLOUT, END);
        place("vm-312", web, "web-7d9f8b6c4-x2x8q", "envoy", ROLLOUT, END);

        Workload db = workload(ns, WorkloadKind.STATEFUL_SET, "web", "2013-03-14T10:00:00Z", Map.of("app", "web-db"),
                new ContainerSpec("db", 2.0, 16.0 * GI));
        add("statefulsets", new V1StatefulSet().apiVersion("apps/v1").kind("StatefulSet").metadata(meta(db))
                .spec(new V1StatefulSetSpec().replicas(1).serviceName("web-db").selector(selector("app", "web-db"))
                        .template(template(Map.of("app", "web-db"), db))));
        livePod(db, "web-0", Map.of("app", "web-db"), owner("apps/v1", "StatefulSet", ns, "web"), Instant.parse("2013-07-01T10:00:00Z"));
        place("vm-22", db, "web-0", "db", START, END);

        Workload legacy = workload(ns, WorkloadKind.REPLICATION_CONTROLLER, "legacy-api", "2012-11-20T08:00:00Z",
                Map.of("app", "legacy-api"), new ContainerSpec("app", 0.25, 2.0 * GI));
        add("replicationcontrollers", new V1ReplicationController().apiVersion("v1").kind("ReplicationController").metadata(meta(legacy))
                .spec(new V1ReplicationControllerSpec().replicas(1).selector(Map.of("app", "legacy-api"))
                        .template(template(Map.of("app", "legacy-api"), legacy))));
        livePod(legacy, "legacy-api-r7k2c", Map.of("app", "legacy-api"), owner("v1", "ReplicationController", ns, "legacy-api"), Instant.parse("2013-06-11T07:00:00Z"));
        place("vm-241", legacy, "legacy-api-r7k2c", "app", START, END);

        // A bare pod without requests: its object has no "current".
        Workload shell = workload(ns, WorkloadKind.POD, "debug-shell", "2013-07-17T16:00:00Z", Map.of("run", "debug-shell"),
                new ContainerSpec("shell", null, null));
        add("pods", pod(meta(shell), shell));
        place("vm-428", shell, "debug-shell", "shell", START, END);
    }

    private void data() {
        String ns = "data";
        Workload kafka = workload(ns, WorkloadKind.STATEFUL_SET, "kafka", "2013-02-01T00:00:00Z", Map.of("app", "kafka"),
                new ContainerSpec("kafka", 4.0, 16.0 * GI));
        add("statefulsets", new V1StatefulSet().apiVersion("apps/v1").kind("StatefulSet").metadata(meta(kafka))
                .spec(new V1StatefulSetSpec().replicas(2).serviceName("kafka").selector(selector("app", "kafka"))
                        .template(template(Map.of("app", "kafka"), kafka))));
        for (String pod : List.of("kafka-0", "kafka-1")) {
            livePod(kafka, pod, Map.of("app", "kafka"), owner("apps/v1", "StatefulSet", ns, "kafka"), Instant.parse("2013-07-02T03:00:00Z"));
        }
        place("vm-380", kafka, "kafka-0", "kafka", START, END);
        place("vm-272", kafka, "kafka-1", "kafka", START, END);

        Workload backup = workload(ns, WorkloadKind.CRON_JOB, "backup", "2013-01-10T00:00:00Z", Map.of("app", "backup"),
                new ContainerSpec("main", 0.5, 3.0 * GI));
        V1PodTemplateSpec backupTemplate = template(Map.of("app", "backup"), backup);
        backupTemplate.getSpec().restartPolicy("OnFailure");
        add("cronjobs", new V1CronJob().apiVersion("batch/v1").kind("CronJob").metadata(meta(backup))
                .spec(new V1CronJobSpec().schedule("0 0 * * *").jobTemplate(new V1JobTemplateSpec().spec(new V1JobSpec().template(backupTemplate)))));
        // One Job a day, named <cronjob>-<scheduled time in Unix minutes> as the CronJob controller names them.
        String[] suffixes = {"b2c4d", "f5g6h", "j7k8l", "m9n2p", "q4r5s", "t6v7w", "x8z9b", "c2d4f", "g5h6j", "k7l8m", "n9p2q", "r4s6t",
            "v8w2x", "7xk2p"};
        int days = (int) (HISTORY.toSeconds() / DAY);
        for (int d = 0; d < days; d++) {
            Instant runStart = START.plusSeconds(d * DAY);
            String job = "backup-" + runStart.getEpochSecond() / 60;
            String pod = job + "-" + suffixes[d];
            if (d == days - 1) {
                add("jobs", new V1Job().apiVersion("batch/v1").kind("Job")
                        .metadata(meta("Job", ns, job, runStart, Map.of("app", "backup"), owner("batch/v1", "CronJob", ns, "backup")))
                        .spec(new V1JobSpec().template(backupTemplate)));
                livePod(backup, pod, Map.of("app", "backup"), owner("batch/v1", "Job", ns, job), runStart);
            }
            place("vm-288", backup, pod, "main", runStart, runStart.plusSeconds(DAY));
        }
    }

    private void monitoring() {
        String ns = "monitoring";
        // The exporter sidecar's memory series is absent from Prometheus: it is served CPU only, and
        // the object says so with the Incomplete condition.
        Workload agent = workload(ns, WorkloadKind.DAEMON_SET, "node-agent", "2013-06-01T00:00:00Z", Map.of("app", "node-agent"),
                new ContainerSpec("agent", 0.05, 1.0 * GI), new ContainerSpec("exporter", 0.1, 256.0 * MI));
        add("daemonsets", new V1DaemonSet().apiVersion("apps/v1").kind("DaemonSet").metadata(meta(agent))
                .spec(new V1DaemonSetSpec().selector(selector("app", "node-agent")).template(template(Map.of("app", "node-agent"), agent))));
        livePod(agent, "node-agent-7xq2v", Map.of("app", "node-agent"), owner("apps/v1", "DaemonSet", ns, "node-agent"), Instant.parse("2013-06-01T00:00:10Z"));
        place("vm-13", agent, "node-agent-7xq2v", "agent", START, END);
        placements.add(new Placement("vm-428", ns, "node-agent-7xq2v", "exporter", START, END, false));
    }

    // ---- what the test reads --------------------------------------------------------------------

    List<Placement> placements() {
        return placements;
    }

    /** The workloads Presize should find, in the order it lists them. */
    List<Workload> expectedWorkloads() {
        return workloads;
    }

    /** The workload whose container a pod in Prometheus was, by this test's own placement table. */
    Optional<WorkloadRef> ownerOf(String namespace, String pod) {
        return Optional.ofNullable(owners.get(namespace + "/" + pod));
    }

    /** kube-apiserver's list body for each resource, e.g. {@code pods} → a {@code PodList}. */
    Map<String, String> listBodies() {
        Map<String, String> out = new LinkedHashMap<>();
        objects.forEach((resource, items) -> {
            Map<String, Object> list = new LinkedHashMap<>();
            list.put("apiVersion", items.get(0).getApiVersion());
            list.put("kind", items.get(0).getKind() + "List");
            list.put("metadata", Map.of("resourceVersion", "1000"));
            list.put("items", items);
            out.put(resource, JSON.serialize(list));
        });
        return out;
    }

    /** The trace series of {@code p}, renamed to its namespace, pod and container and cut to its time range. */
    static ContainerSeries placed(ContainerSeries vm, Placement p) {
        ContainerSeries cut = vm.between(p.from().getEpochSecond(), p.to().getEpochSecond());
        double[] memory = cut.memoryBytes();
        if (!p.memoryMetric()) {
            memory = new double[memory.length];
            java.util.Arrays.fill(memory, Double.NaN); // the writer writes no sample for NaN
        }
        return new ContainerSeries(p.namespace(), p.pod(), p.container(), cut.timestamps(), cut.cpuCores(), memory,
                cut.cpuRequestCores(), cut.memoryRequestBytes());
    }

    // ---- building blocks ------------------------------------------------------------------------

    private static final double MI = 1024.0 * 1024.0;
    private static final double GI = 1024.0 * MI;

    private Workload workload(String ns, WorkloadKind kind, String name, String created, Map<String, String> labels,
                              ContainerSpec... containers) {
        Workload w = new Workload(ns, kind, name, labels, Instant.parse(created), List.of(containers));
        workloads.add(w);
        return w;
    }

    private void place(String vm, Workload owner, String pod, String container, Instant from, Instant to) {
        placements.add(new Placement(vm, owner.namespace(), pod, container, from, to, true));
        owners.put(owner.namespace() + "/" + pod, owner.ref());
    }

    private void add(String resource, KubernetesObject object) {
        objects.computeIfAbsent(resource, r -> new ArrayList<>()).add(object);
    }

    private void livePod(Workload w, String name, Map<String, String> labels, V1OwnerReference owner, Instant created) {
        add("pods", pod(meta("Pod", w.namespace(), name, created, labels, owner), w));
    }

    private static V1Pod pod(V1ObjectMeta meta, Workload w) {
        return new V1Pod().apiVersion("v1").kind("Pod").metadata(meta).spec(spec(w)).status(new V1PodStatus().phase("Running"));
    }

    private static V1PodTemplateSpec template(Map<String, String> labels, Workload w) {
        return new V1PodTemplateSpec().metadata(new V1ObjectMeta().labels(labels)).spec(spec(w));
    }

    private static V1PodSpec spec(Workload w) {
        V1PodSpec spec = new V1PodSpec();
        for (ContainerSpec c : w.containers()) {
            V1Container container = new V1Container().name(c.name()).image("registry.example/" + c.name() + ":1.4.2");
            if (c.cpuRequestCores() != null) {
                container.resources(new V1ResourceRequirements()
                        .putRequestsItem("cpu", new Quantity(BigDecimal.valueOf(c.cpuRequestCores()), Quantity.Format.DECIMAL_SI))
                        .putRequestsItem("memory", new Quantity(BigDecimal.valueOf(c.memoryRequestBytes()), Quantity.Format.BINARY_SI)));
            }
            spec.addContainersItem(container);
        }
        return spec;
    }

    private static V1ObjectMeta meta(Workload w) {
        return meta(w.kind().kind(), w.namespace(), w.name(), w.creationTimestamp(), w.labels(), null);
    }

    private static V1ObjectMeta meta(String kind, String ns, String name, Instant created, Map<String, String> labels,
                                     V1OwnerReference owner) {
        V1ObjectMeta m = new V1ObjectMeta().namespace(ns).name(name).uid(uid(kind, ns, name)).resourceVersion("900")
                .creationTimestamp(OffsetDateTime.ofInstant(created, ZoneOffset.UTC)).labels(labels);
        return owner == null ? m : m.addOwnerReferencesItem(owner);
    }

    private static V1OwnerReference owner(String apiVersion, String kind, String ns, String name) {
        return new V1OwnerReference().apiVersion(apiVersion).kind(kind).name(name).uid(uid(kind, ns, name)).controller(true)
                .blockOwnerDeletion(true);
    }

    private static String uid(String kind, String ns, String name) {
        return String.format("%08x-0000-4000-8000-%012x", (kind + "/" + ns).hashCode(), name.hashCode() & 0xffffffffL);
    }

    private static V1LabelSelector selector(String key, String value) {
        return new V1LabelSelector().matchLabels(Map.of(key, value));
    }

    /**
     * A fake kube-apiserver serving this cluster's workloads, the authentication ConfigMap (CAs
     * named after {@code prefix}), and a token that authenticates {@code user}, who may read.
     */
    FakeKubeApiServer kubeApiServer(String prefix, String token, String user) throws Exception {
        FakeKubeApiServer kube = new FakeKubeApiServer();
        kube.configMap(FakeKubeApiServer.authenticationData(TestCertificates.ca(prefix + "-client-ca").pem(),
                TestCertificates.ca(prefix + "-front-proxy-ca").pem(), List.of("front-proxy-client")));
        kube.workloads(listBodies());
        kube.tokenAuthenticates(token, user, List.of("readers"));
        kube.access(user, true);
        return kube;
    }

    /** The flags of a cluster-mode server on a free loopback port reading this cluster's 14 days from {@code prometheusUrl}. */
    static Map<String, Object> serverFlags(Path dir, FakeKubeApiServer kube, String prometheusUrl) throws Exception {
        Map<String, Object> flags = new HashMap<>();
        flags.put("micronaut.server.ssl.port", "-1"); // a free port: Micronaut's -1, not a valid --secure-port
        flags.put("presize.bind-address", "127.0.0.1");
        flags.put("presize.cert-dir", dir.resolve("certs").toString());
        flags.put("presize.kubeconfig", kube.writeKubeconfig(dir).toString());
        flags.put("presize.prometheus-url", prometheusUrl);
        flags.put("presize.history", HISTORY.toHours() + "h");
        return flags;
    }

    /** GET {@code path} on the cluster-mode server as the reader with {@code token}, extra headers as name, value pairs. */
    static HttpResponse<String> get(HttpClient http, EmbeddedServer server,
                                                  String token, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + server.getPort() + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token);
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET " + path + ": " + e, e);
        }
    }
}
