package dev.presize.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.presize.Main;
import dev.presize.history.prometheus.PrometheusProcess;
import dev.presize.model.RequestStrategy;
import dev.presize.recommendations.Refresher;
import dev.presize.security.MutableClock;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadRef;
import dev.presize.workloads.WorkloadSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Presize installed as README's "Install on a cluster" says, against a real kube-apiserver v1.20.2 with etcd on
 * loopback ({@link RealKubeControlPlane}; no controller-manager or kubelet, so Presize runs in this JVM in place
 * of the Deployment's pod, and its Service's Endpoints are written into etcd by hand).
 *
 * <p>What a real server proves that the WireMock tests cannot: the manifests are accepted by kube-apiserver's
 * validation (all but the {@code policy/v1} PodDisruptionBudget, which 1.20 does not serve); the manifests' RBAC is
 * enough for Presize (it runs with its ServiceAccount's token); the aggregator finds it {@code Available} with the
 * manifests' {@code caBundle}; delegated authentication and authorization work through the aggregator for a token
 * user bound to {@code presize:requests-reader}, and 403 for one without; forged {@code X-Remote-*} headers sent
 * straight to Presize are no identity: 401 with a client certificate that is not the front proxy's (per the real
 * {@code extension-apiserver-authentication} ConfigMap), anonymous and so 403 without one; and recommendations
 * from a real Prometheus for pods of each owner chain ({@link RealKubeWorkloads}: Deployment via ReplicaSet,
 * StatefulSet, CronJob at {@code batch/v1beta1} via its Job, bare Pod), read through the aggregator, equal to what a
 * second instance of the served strategy recommends from the same samples ({@link ModelReplica}).
 *
 * <p>Presize runs on a {@link MutableClock}: it stands at the wall-clock time of its start (the certificates'
 * validity is checked at the clock's instant) until the recommendations test moves it to {@link #historyEnd}, the
 * end of the history in Prometheus, 1 to 2 hours ahead. With {@code --retrain-interval=1h} that refresh is the
 * first of a new retrain window, so the model it serves was trained on these workloads' history, whatever the
 * refresh at startup (before the workloads existed) trained on; {@code --refresh-interval=1h} keeps the scheduler
 * from refreshing in between.
 *
 * <p>Runs when {@code PRESIZE_KUBE_CACHE} is set ({@code .ci/run} sets it after building the binary); skipped
 * with a message otherwise.
 */
@EnabledIfEnvironmentVariable(named = RealKubeControlPlane.CACHE_ENV, matches = ".+", disabledReason =
        RealKubeControlPlane.CACHE_ENV + " is not set: the real kube-apiserver tests run from .ci/run, which builds and"
                + " caches kube-apiserver (src/test/kube/README.md)")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealKubeApiServerTest {

    private static final String APISERVICE = "v1beta1.presize.dev";
    private static final String SVC_NAME = "presize.presize-system.svc";

    private Path dir;
    private RealKubeControlPlane kube;
    private Kubectl admin;
    private Path manifests;
    private ApplicationContext context;
    private int presizePort;
    /** The end of the usage history in Prometheus and the refresh the recommendations are read at: a whole hour. */
    private Instant historyEnd;
    private RealKubeWorkloads workloads;
    private PrometheusProcess prometheus;
    private MutableClock clock;
    private List<Workload> expectedWorkloads;
    /** What a second instance of the served strategy recommends from the same samples, keyed "namespace/name". */
    private Map<String, JsonObject> expected;

    @BeforeAll
    void start(@TempDir Path tempDir) throws Exception {
        String cache = System.getenv(RealKubeControlPlane.CACHE_ENV);
        Path binary = Path.of(cache, "bin", "kube-apiserver");
        assertTrue(Files.isExecutable(binary), RealKubeControlPlane.CACHE_ENV + "=" + cache + " but " + binary
                + " is missing: run .ci/run, or src/test/kube/build-kube-apiserver.sh with KUBE_CACHE=" + cache);
        dir = tempDir;
        // Two hours past the current hour's start: later than any refresh before the clock is moved (below).
        historyEnd = Instant.ofEpochSecond(Math.floorDiv(Instant.now().getEpochSecond(), 3600) * 3600).plus(Duration.ofHours(2));
        workloads = new RealKubeWorkloads(historyEnd);
        // promtool turns the history into blocks while kube-apiserver starts.
        CompletableFuture<PrometheusProcess> prometheusStarted = PrometheusProcess.startAsync(workloads.openMetrics(),
                Files.createDirectories(dir.resolve("prometheus")));
        try {
            kube = RealKubeControlPlane.start(Files.createDirectories(dir.resolve("kube")), binary);
        } finally {
            prometheus = prometheusStarted.join();
        }
        admin = new Kubectl(kube.adminKubeconfig());

        // Install step 1: the serving certificate and caBundle, into a copy of manifests/ (tls/ is git-ignored).
        manifests = dir.resolve("manifests");
        try (Stream<Path> files = Files.list(Path.of("manifests"))) {
            Files.createDirectories(manifests);
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, manifests.resolve(f.getFileName()));
            }
        }
        run(60, Map.of("OUT_DIR", manifests.resolve("tls").toString()), "bash", "certs/make-certs.sh");
    }

    @AfterAll
    void stop() {
        if (context != null) {
            context.close();
        }
        if (kube != null) {
            kube.close();
        }
        if (prometheus != null) {
            try {
                prometheus.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    @Order(1)
    void manifestsAreAcceptedExceptThePolicyV1PodDisruptionBudget() throws IOException {
        // A server-side dry run creates nothing, so the namespaced objects need their namespace to exist already
        // (else NotFound: namespaces "presize-system" not found).
        assertOk(admin.run("apply", "-f", manifests.resolve("namespace.yaml").toString()));
        // The whole kustomization, as README's install step 3 runs it: only the PodDisruptionBudget is refused.
        Kubectl.Result all = admin.run("apply", "-k", manifests.toString(), "--dry-run=server");
        assertNotEquals(0, all.exitCode(), all.all());
        assertTrue(all.stderr().contains("no matches for kind \"PodDisruptionBudget\" in version \"policy/v1\""), all.all());
        List<String> otherErrors = all.stderr().lines()
                .filter(l -> !l.isBlank() && !l.contains("PodDisruptionBudget") && !l.contains("ensure CRDs are installed first"))
                .toList();
        assertEquals(List.of(), otherErrors, "only the PodDisruptionBudget may fail on 1.20: " + all.all());

        // Everything else, split from `kubectl kustomize`, is accepted by the server's validation ...
        Kubectl.Result built = admin.run("kustomize", manifests.toString());
        assertEquals(0, built.exitCode(), built.all());
        List<String> docs = Arrays.stream(built.stdout().split("(?m)^---\\s*$")).filter(d -> !d.isBlank()).toList();
        List<String> rest = docs.stream().filter(d -> !d.contains("kind: PodDisruptionBudget")).toList();
        assertEquals(docs.size() - 1, rest.size(), "one PodDisruptionBudget in " + built.stdout());
        Path restFile = Files.writeString(dir.resolve("all-but-pdb.yaml"), String.join("\n---\n", rest));
        Kubectl.Result dryRun = admin.run("apply", "-f", restFile.toString(), "--dry-run=server");
        assertEquals(0, dryRun.exitCode(), dryRun.all());
        for (String kind : List.of("namespace/presize-system", "serviceaccount/presize", "deployment.apps/presize",
                "service/presize", "apiservice.apiregistration.k8s.io/v1beta1.presize.dev", "secret/presize-tls",
                "clusterrole.rbac.authorization.k8s.io/presize:requests-reader")) {
            // the namespace exists already (above), so it is "configured" (kustomize's labels added)
            String verb = kind.startsWith("namespace/") ? " configured" : " created";
            assertTrue(dryRun.stdout().contains(kind + verb + " (server dry run)"), kind + ": " + dryRun.all());
        }
        // ... and then applied for real, as a cluster would have them (no controller turns the Deployment into pods).
        Kubectl.Result applied = admin.run("apply", "-f", restFile.toString());
        assertEquals(0, applied.exitCode(), applied.all());
    }

    @Test
    @Order(2)
    void registeredWithTheManifestsApiServiceItBecomesAvailable() throws Exception {
        // Presize with its ServiceAccount's token: the manifests' RBAC must be enough for what it reads.
        String token = token("presize-system", "presize");
        Map<String, Object> flags = new HashMap<>();
        flags.put("micronaut.server.ssl.port", "-1");
        flags.put("presize.bind-address", "127.0.0.1");
        flags.put("presize.kubeconfig", kube.tokenKubeconfig("presize", token).toString());
        flags.put("presize.tls-cert-file", manifests.resolve("tls/tls.crt").toString());
        flags.put("presize.tls-private-key-file", manifests.resolve("tls/tls.key").toString());
        flags.put("presize.cert-dir", dir.resolve("certs").toString());
        flags.put("presize.prometheus-url", prometheus.url().toString());
        flags.put("presize.history", RealKubeWorkloads.HISTORY.toHours() + "h");
        flags.put("presize.refresh-interval", "1h");
        flags.put("presize.retrain-interval", "1h");
        // The clock registered here replaces the wall clock (ClockFactory's is @Secondary); see the class comment.
        clock = new MutableClock(Instant.now());
        context = ApplicationContext.builder().properties(flags).singletons(clock).start();
        EmbeddedServer server = context.getBean(EmbeddedServer.class);
        if (!server.isRunning()) {
            server.start();
        }
        presizePort = server.getPort();
        kube.putLoopbackEndpoints("presize-system", "presize", presizePort);

        String status = "";
        for (int i = 0; i < 120 && !status.equals("True"); i++) {
            Kubectl.Result r = admin.run("get", "apiservice", APISERVICE,
                    "-o", "jsonpath={.status.conditions[?(@.type==\"Available\")].status}");
            status = r.stdout().trim();
            if (!status.equals("True")) {
                Thread.sleep(1000);
            }
        }
        assertEquals("True", status, "APIService " + APISERVICE + " not Available: "
                + admin.run("get", "apiservice", APISERVICE, "-o", "yaml").all() + "\n" + kube.apiserverLogTail());
    }

    @Test
    @Order(3)
    void aTokenUserBoundToTheReaderRoleReadsThroughTheAggregator() throws IOException {
        Kubectl reader = tokenUser("e2e-readers", "reader");
        assertOk(admin.run("create", "clusterrolebinding", "e2e-reader", "--clusterrole=presize:requests-reader",
                "--serviceaccount=e2e-readers:reader"));

        Kubectl.Result discovery = reader.run("get", "--raw", "/apis/presize.dev/v1beta1");
        assertOk(discovery);
        assertTrue(discovery.stdout().contains("\"kind\":\"APIResourceList\"") && discovery.stdout().contains("\"name\":\"requests\""),
                discovery.all());
        // Until the workloads are created (last test) the lists are empty; what is checked here is that they are allowed.
        assertOk(reader.run("get", "requests", "-A"));
        Kubectl.Result list = reader.run("get", "--raw", "/apis/presize.dev/v1beta1/requests");
        assertOk(list);
        assertTrue(list.stdout().contains("\"kind\":\"RequestsList\""), list.all());
        assertOk(reader.run("get", "--raw", "/apis/presize.dev/v1beta1/namespaces/default/requests?watch=true&timeoutSeconds=1"));
        Kubectl.Result get = reader.run("get", "requests", "nothing-here", "-n", "default");
        assertNotEquals(0, get.exitCode(), get.all());
        assertTrue(get.stderr().contains("NotFound") || get.stderr().contains("not found"), get.all());
    }

    @Test
    @Order(4)
    void aTokenUserWithoutTheRoleIsForbidden() throws IOException {
        Kubectl nobody = tokenUser("e2e-others", "nobody");
        for (String[] args : List.of(new String[] {"get", "requests", "-A"},
                new String[] {"get", "requests", "-n", "default"},
                new String[] {"get", "--raw", "/apis/presize.dev/v1beta1/requests"})) {
            Kubectl.Result r = nobody.run(args);
            assertNotEquals(0, r.exitCode(), r.all());
            assertTrue(r.stderr().contains("Forbidden") || r.stderr().contains("forbidden"), r.all());
            assertTrue(r.stderr().contains("system:serviceaccount:e2e-others:nobody"), "names the user: " + r.all());
        }
    }

    @Test
    @Order(5)
    void forgedRemoteUserHeadersStraightToPresizeAreNoIdentity() throws Exception {
        String path = "/apis/presize.dev/v1beta1/requests";
        String[] forged = {"-H", "X-Remote-User: system:admin", "-H", "X-Remote-Group: system:masters"};
        Path pki = dir.resolve("kube/pki");
        // A client certificate from kube-apiserver's front-proxy CA whose name is not in requestheader-allowed-names
        // (front-proxy-client), as read from the real extension-apiserver-authentication ConfigMap: 401.
        clientCertificate(pki, "wrong", "not-the-front-proxy", "front-proxy-ca");
        String wrongName = curl(path, concat(forged, "--cert", pki.resolve("wrong.crt").toString(),
                "--key", pki.resolve("wrong.key").toString()));
        assertTrue(wrongName.startsWith("401 ") && wrongName.contains("\"reason\":\"Unauthorized\""), wrongName);
        // A client certificate from another CA (the manifests' own) with the allowed name: 401.
        Path tls = manifests.resolve("tls");
        clientCertificate(tls, "other", "front-proxy-client", "ca");
        String otherCa = curl(path, concat(forged, "--cert", tls.resolve("other.crt").toString(),
                "--key", tls.resolve("other.key").toString()));
        assertTrue(otherCa.startsWith("401 ") && otherCa.contains("\"reason\":\"Unauthorized\""), otherCa);
        // No certificate at all: the headers are ignored and the caller is anonymous, which kube-apiserver's RBAC
        // denies: 403 for system:anonymous, never an answer for system:admin (k8s.io/apiserver does the same).
        String none = curl(path, forged);
        assertTrue(none.startsWith("403 ") && none.contains("User \\\"system:anonymous\\\""), none);
        // The aggregator's own front-proxy client certificate makes the same headers an identity (positive control:
        // the 401s above are about the certificates, and Presize trusts what the real ConfigMap names).
        String proxied = curl(path, "--cert", pki.resolve("front-proxy-client.crt").toString(),
                "--key", pki.resolve("front-proxy-client.key").toString(),
                "-H", "X-Remote-User: system:serviceaccount:e2e-readers:reader",
                "-H", "X-Remote-Group: system:serviceaccounts", "-H", "X-Remote-Group: system:authenticated");
        assertTrue(proxied.startsWith("200 "), proxied);
        // And the reader's token straight to Presize: TokenReview and SubjectAccessReview by the real server.
        String withToken = curl(path, "-H", "Authorization: Bearer " + token("e2e-readers", "reader"));
        assertTrue(withToken.startsWith("200 "), withToken);
    }

    @Test
    @Order(6)
    void everyWorkloadKindIsListedCronJobsAtBatchV1beta1() throws Exception {
        // 1.20 serves CronJobs only as batch/v1beta1: discovery must find them there, and the manifests' RBAC must
        // let Presize list all eight kinds. Read from Presize's /metrics as a system:masters front-proxy identity.
        // The refresh at startup started the informers; getting the bean makes sure they exist.
        context.getBean(WorkloadSource.class);
        Path pki = dir.resolve("kube/pki");
        String[] asMaster = {"--cert", pki.resolve("front-proxy-client.crt").toString(),
                "--key", pki.resolve("front-proxy-client.key").toString(),
                "-H", "X-Remote-User: e2e-admin", "-H", "X-Remote-Group: system:masters"};
        List<String> kinds = List.of();
        String metrics = "";
        for (int i = 0; i < 60; i++) {
            metrics = curl("/metrics", asMaster);
            assertTrue(metrics.startsWith("200 "), metrics);
            kinds = metrics.lines().filter(l -> l.startsWith("presize_workload_kind_available{")).sorted().toList();
            if (kinds.size() == 8 && kinds.stream().allMatch(RealKubeApiServerTest::isOne)) {
                break;
            }
            Thread.sleep(1000); // the informers list in the background
        }
        assertEquals(8, kinds.size(), kinds + " in " + metrics.lines().filter(l -> l.contains("kind")).toList()
                + "\n" + metrics.substring(0, Math.min(600, metrics.length())));
        assertTrue(kinds.stream().allMatch(RealKubeApiServerTest::isOne), "every kind listable: " + kinds);
        assertTrue(kinds.stream().anyMatch(l -> l.startsWith(
                "presize_workload_kind_available{kind=\"cronjobs\",version=\"batch/v1beta1\"} ")), kinds.toString());
    }

    @Test
    @Order(7)
    void podsOfEveryOwnerChainAreAttributedAndRefreshedFromPrometheus() throws Exception {
        expectedWorkloads = workloads.create(admin, dir);
        // Presize's informers follow the cluster through watches: wait until they have the new objects.
        WorkloadSource source = context.getBean(WorkloadSource.class);
        List<Workload> found = List.of();
        Map<String, Optional<WorkloadRef>> owners = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            found = source.workloads(clock.instant()).stream().filter(w -> w.namespace().equals(RealKubeWorkloads.NAMESPACE))
                    .toList();
            owners.clear();
            for (String pod : workloads.livePods().keySet()) {
                owners.put(pod, source.ownerOf(found, RealKubeWorkloads.NAMESPACE, pod, "any"));
            }
            if (found.size() == expectedWorkloads.size()) {
                break;
            }
            Thread.sleep(500);
        }
        // Deployment (not its ReplicaSet), StatefulSet, CronJob at batch/v1beta1 (not its Job), the bare Pod: as
        // kube-apiserver stored them (labels, creation times, the templates' containers and requests).
        assertEquals(expectedWorkloads, found);
        Map<String, Optional<WorkloadRef>> expectedOwners = new LinkedHashMap<>();
        workloads.livePods().forEach((pod, ref) -> expectedOwners.put(pod, Optional.of(ref)));
        assertEquals(expectedOwners, owners);

        // The clock reaches the end of the history: a refresh in a new retrain window (class comment).
        Duration ahead = Duration.between(clock.instant(), historyEnd);
        assertFalse(ahead.isNegative() || ahead.isZero(), "the history ends " + historyEnd + ", after " + clock.instant());
        clock.advance(ahead);
        Refresher refresher = context.getBean(Refresher.class);
        assertTrue(refresher.refreshNow(), "refresh at " + historyEnd + ": " + refresher.staleReason().orElse(""));
        assertEquals(Optional.of(historyEnd), refresher.lastRefresh());

        RequestStrategy served = context.getBean(RequestStrategy.class);
        RequestStrategy replica = context.createBean(RequestStrategy.class);
        assertNotSame(served, replica);
        assertFalse(served.coldStart(), "14 days of history: the CPU prices serve, not the cold start");
        expected = ModelReplica.expected(replica, expectedWorkloads, workloads::ownerOf, prometheus.url(), historyEnd,
                historyEnd, RealKubeWorkloads.HISTORY);
        assertEquals(List.of("shop/backup", "shop/db", "shop/debug-shell", "shop/web"), new ArrayList<>(expected.keySet()));
        // Every workload has the learned model's own recommendations (14 days of history), not the fallback for
        // short history (which the model name would admit to: "<name>+vpa-krr"), and no condition but TargetMissed,
        // exactly when the calibration missed a target (prices calibrated on seven containers can miss the
        // CPU volume's 2 %, and every object says so): in particular no WorkloadKindUnavailable, since every
        // kind is listable on 1.20 once CronJobs are read at batch/v1beta1.
        boolean missed = served.targets().stream().anyMatch(t -> !t.held());
        for (JsonObject o : expected.values()) {
            assertEquals(served.name(), o.getAsJsonObject("model").get("name").getAsString(), o.toString());
            List<String> types = new ArrayList<>();
            if (o.has("conditions")) {
                o.getAsJsonArray("conditions").forEach(c -> types.add(c.getAsJsonObject().get("type").getAsString()));
            }
            assertEquals(missed ? List.of("TargetMissed") : List.of(), types, o.toString());
        }
    }

    @Test
    @Order(8)
    void theReaderListsOneObjectPerWorkloadWithTheModelsValuesThroughTheAggregator() throws IOException {
        Kubectl reader = tokenUser("e2e-readers", "reader");
        Kubectl.Result json = reader.run("get", "requests", "-A", "-o", "json");
        assertOk(json);
        JsonArray items = JsonParser.parseString(json.stdout()).getAsJsonObject().getAsJsonArray("items");
        assertObjectsEqual(expected, items);

        // The table kubectl prints: NAMESPACE NAME KIND CPU MEMORY CONTAINERS AGE, a row per workload.
        Kubectl.Result table = reader.run("get", "requests", "-A");
        assertOk(table);
        List<String> rows = table.stdout().lines().skip(1).map(l -> String.join(" ", l.trim().split("\\s+"))).toList();
        List<String> expectedRows = new ArrayList<>();
        for (JsonObject o : expected.values()) {
            JsonObject total = o.getAsJsonObject("resources");
            expectedRows.add(String.join(" ", RealKubeWorkloads.NAMESPACE, o.getAsJsonObject("metadata").get("name").getAsString(),
                    o.getAsJsonObject("target").get("kind").getAsString(), total.get("cpu").getAsString(),
                    total.get("memory").getAsString(), Integer.toString(o.getAsJsonArray("containers").size())));
        }
        assertEquals(expectedRows.size(), rows.size(), table.all());
        for (int i = 0; i < rows.size(); i++) {
            assertTrue(rows.get(i).startsWith(expectedRows.get(i) + " "), rows.get(i) + " vs " + expectedRows.get(i));
        }
        assertTrue(expectedRows.get(0).startsWith("shop backup CronJob ") && expectedRows.get(1).startsWith("shop db StatefulSet ")
                && expectedRows.get(2).startsWith("shop debug-shell Pod ") && expectedRows.get(3).startsWith("shop web Deployment "),
                expectedRows.toString());
    }

    @Test
    @Order(9)
    void eachObjectThroughTheAggregatorIsTheModels() throws IOException {
        Kubectl reader = tokenUser("e2e-readers", "reader");
        for (Map.Entry<String, JsonObject> e : expected.entrySet()) {
            String[] nsName = e.getKey().split("/");
            Kubectl.Result r = reader.run("get", "--raw", "/apis/presize.dev/v1beta1/namespaces/" + nsName[0] + "/requests/" + nsName[1]);
            assertOk(r);
            assertEquals(e.getValue(), JsonParser.parseString(r.stdout()), e.getKey());
        }
        JsonObject cronJob = expected.get("shop/backup").getAsJsonObject("target");
        assertEquals("batch/v1beta1", cronJob.get("apiVersion").getAsString(), cronJob.toString());
    }

    @Test
    @Order(10)
    void stopsPromptlyThoughTheAggregatorKeepsItsHttp2ConnectionsOpen() {
        // kube-apiserver's proxy and availability checks hold HTTP/2 connections to Presize between requests, and
        // its HTTP/2 client (vendored x/net of 1.20) does not close them on GOAWAY: Presize must (CloseAfterGoAway).
        GracefulShutdownCapable server = (GracefulShutdownCapable) context.getBean(EmbeddedServer.class);
        OptionalLong open = server.reportActiveTasks();
        assertTrue(open.isPresent() && open.getAsLong() > 0, "the aggregator's connections, before the stop: " + open);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger graceful = (Logger) LoggerFactory.getLogger("io.micronaut.runtime.graceful.GracefulShutdownListener");
        graceful.addAppender(log);
        long started = System.nanoTime();
        try {
            Main.stop(context); // what SIGTERM runs; --shutdown-delay-duration is 0 here
        } finally {
            graceful.detachAppender(log);
            context = null;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        List<String> messages = log.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
        assertFalse(messages.stream().anyMatch(m -> m.contains("forcing stop")), messages.toString());
        // The deadline that matters: Kubernetes' default terminationGracePeriodSeconds, after which the pod is
        // SIGKILLed (the graceful shutdown's own limit is --request-timeout, 60 s, which it used to reach).
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "stopping took " + took);
    }

    private static void assertObjectsEqual(Map<String, JsonObject> expected, JsonArray served) {
        List<String> names = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (JsonElement e : served) {
            JsonObject o = e.getAsJsonObject();
            JsonObject meta = o.getAsJsonObject("metadata");
            String name = meta.get("namespace").getAsString() + "/" + meta.get("name").getAsString();
            names.add(name);
            if (!o.equals(expected.get(name))) {
                mismatches.add(name + ":\n  expected " + expected.get(name) + "\n  served   " + o);
            }
        }
        assertEquals(new ArrayList<>(expected.keySet()), names);
        if (!mismatches.isEmpty()) {
            fail(String.join("\n", mismatches));
        }
    }

    /** A sample line whose value is 1 (the exposition writes {@code 1.0}). */
    private static boolean isOne(String sample) {
        return Double.parseDouble(sample.substring(sample.lastIndexOf(' ') + 1)) == 1.0;
    }

    /** {@code dir/name.crt} and {@code .key}: a client certificate for {@code cn}, signed by {@code dir/ca.crt}. */
    private static void clientCertificate(Path dir, String name, String cn, String ca) throws IOException {
        run(30, Map.of(), "bash", "-c", "cd " + dir + " && openssl genrsa -out " + name + ".key 2048 2>/dev/null"
                + " && openssl req -new -key " + name + ".key -subj /CN=" + cn + " -out " + name + ".csr"
                + " && printf 'extendedKeyUsage=clientAuth\\n' > " + name + ".ext"
                + " && openssl x509 -req -in " + name + ".csr -CA " + ca + ".crt -CAkey " + ca + ".key -CAcreateserial"
                + " -days 1 -extfile " + name + ".ext -out " + name + ".crt 2>/dev/null");
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    private Kubectl tokenUser(String namespace, String serviceAccount) throws IOException {
        // Called again for the same user by later tests: "(AlreadyExists) ... already exists" from the namespace,
        // "failed to create serviceaccount: ... already exists" from kubectl create serviceaccount.
        Kubectl.Result ns = admin.run("create", "namespace", namespace);
        assertTrue(ns.exitCode() == 0 || ns.stderr().contains("already exists"), ns.all());
        Kubectl.Result sa = admin.run("create", "serviceaccount", serviceAccount, "-n", namespace);
        assertTrue(sa.exitCode() == 0 || sa.stderr().contains("already exists"), sa.all());
        return new Kubectl(kube.tokenKubeconfig(namespace + "-" + serviceAccount, token(namespace, serviceAccount)));
    }

    private String token(String namespace, String serviceAccount) {
        Kubectl.Result r = admin.run("create", "token", serviceAccount, "-n", namespace, "--duration=1h");
        assertOk(r);
        return r.stdout().trim();
    }

    /** "CODE BODY" of a GET straight to Presize, verified against the manifests' CA under the Service's name. */
    private String curl(String path, String... headers) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20",
                "--cacert", manifests.resolve("tls/ca.crt").toString(),
                "--resolve", SVC_NAME + ":" + presizePort + ":127.0.0.1", "-w", "\n%{http_code}"));
        command.addAll(List.of(headers));
        command.add("https://" + SVC_NAME + ":" + presizePort + path);
        String out = run(30, Map.of(), command.toArray(String[]::new)).trim();
        int cut = out.lastIndexOf('\n');
        return out.substring(cut + 1) + " " + out.substring(0, Math.max(cut, 0));
    }

    private static void assertOk(Kubectl.Result r) {
        assertEquals(0, r.exitCode(), r.all());
    }

    private static String run(int timeoutSeconds, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        b.environment().putAll(env);
        Process p = b.start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + text);
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
