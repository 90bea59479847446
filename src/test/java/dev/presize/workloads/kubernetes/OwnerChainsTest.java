package dev.presize.workloads.kubernetes;

import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.presize.workloads.WorkloadKind.CRON_JOB;
import static dev.presize.workloads.WorkloadKind.DAEMON_SET;
import static dev.presize.workloads.WorkloadKind.DEPLOYMENT;
import static dev.presize.workloads.WorkloadKind.JOB;
import static dev.presize.workloads.WorkloadKind.POD;
import static dev.presize.workloads.WorkloadKind.REPLICATION_CONTROLLER;
import static dev.presize.workloads.WorkloadKind.REPLICA_SET;
import static dev.presize.workloads.WorkloadKind.STATEFUL_SET;
import static org.junit.jupiter.api.Assertions.assertEquals;

class OwnerChainsTest {

    private final OwnerChains chains = new OwnerChains(FixtureCluster.caches());

    static final List<String> EXPECTED_WORKLOADS = List.of(
            "data/Job/backfill", "data/CronJob/etl-nightly", "data/ReplicaSet/ingest-workers",
            "kube-system/Pod/kube-apiserver-node-1",
            "monitoring/DaemonSet/node-agent",
            "shop/Deployment/admin", "shop/Deployment/api", "shop/ReplicaSet/api-6b7c9d5f4",
            "shop/Deployment/checkout", "shop/Pod/debug-shell", "shop/ReplicationController/legacy-api",
            "shop/Pod/migrate-once", "shop/Deployment/web", "shop/StatefulSet/web");

    @Test
    void topLevelWorkloadsOnlySortedByNamespaceNameKind() {
        assertEquals(EXPECTED_WORKLOADS, chains.workloads().stream().map(w -> w.ref().toString()).toList());
    }

    @Test
    void workloadCarriesItsOwnLabelsCreationAndTemplateRequests() {
        Workload checkout = find(chains.workloads(), DEPLOYMENT, "checkout");
        assertEquals(Map.of("app", "checkout", "tier", "frontend"), checkout.labels());
        assertEquals(Instant.parse("2026-11-01T08:00:00Z"), checkout.creationTimestamp());
        // App containers in template order, then the native sidecar; the classic init container is left out.
        assertEquals(List.of(
                new ContainerSpec("app", 0.5, 512.0 * 1024 * 1024),
                new ContainerSpec("envoy", 0.1, 64.0 * 1024 * 1024),
                new ContainerSpec("log-shipper", 0.05, 32.0 * 1024 * 1024)), checkout.containers());
    }

    @Test
    void quantitiesInEveryNotationAndLimitsStandingInForMissingRequests() {
        List<Workload> all = chains.workloads();
        assertEquals(List.of(new ContainerSpec("db", 2.0, 4.0 * (1L << 30)), new ContainerSpec("exporter", 0.1, 50.0 * (1 << 20))),
                find(all, STATEFUL_SET, "web").containers());
        assertEquals(List.of(new ContainerSpec("backfill", 0.4, 2e9)), find(all, JOB, "backfill").containers());
        assertEquals(List.of(new ContainerSpec("legacy", 0.5, 256e6)), find(all, REPLICATION_CONTROLLER, "legacy-api").containers());
        assertEquals(List.of(new ContainerSpec("etl", 1.5, 8.0 * (1L << 30))), find(all, CRON_JOB, "etl-nightly").containers());
        assertEquals(List.of(new ContainerSpec("shell", null, null)), find(all, POD, "debug-shell").containers());
        assertEquals(List.of(new ContainerSpec("kube-apiserver", 0.25, null)), find(all, POD, "kube-apiserver-node-1").containers());
        assertEquals(Map.of("run", "debug-shell"), find(all, POD, "debug-shell").labels());
    }

    @Test
    void livePodsFollowTheirControllerChains() {
        assertOwner("shop", "checkout-6f9c8d7b45-x2x4z", DEPLOYMENT, "checkout");
        assertOwner("shop", "web-8f6d4b7c9-n5m8q", DEPLOYMENT, "web");
        assertOwner("shop", "web-0", STATEFUL_SET, "web");
        assertOwner("shop", "api-7c9d5f4b8-z9t4k", DEPLOYMENT, "api");
        assertOwner("shop", "api-6b7c9d5f4-m2v6w", REPLICA_SET, "api-6b7c9d5f4");
        assertOwner("monitoring", "node-agent-7xq2v", DAEMON_SET, "node-agent");
        assertOwner("data", "etl-nightly-29433600-h7x9d", CRON_JOB, "etl-nightly");
        assertOwner("data", "backfill-9mzt4", JOB, "backfill");
        assertOwner("shop", "legacy-api-r7k2c", REPLICATION_CONTROLLER, "legacy-api");
        assertOwner("data", "ingest-workers-w5l8x", REPLICA_SET, "ingest-workers");
        assertOwner("shop", "debug-shell", POD, "debug-shell");
        assertOwner("shop", "migrate-once", POD, "migrate-once");
        assertOwner("kube-system", "kube-apiserver-node-1", POD, "kube-apiserver-node-1");
        assertEquals(Optional.empty(), chains.ownerOfLivePod("shop", "checkout-7b4d5c9f8-k2l9p"), "not live");
        assertEquals(Optional.empty(), chains.ownerOfLivePod("other", "web-0"), "other namespace");
    }

    @Test
    void podTemplateHashesOfEachDeploymentsReplicaSets() {
        Map<WorkloadRef, Set<String>> hashes = chains.podTemplateHashes();
        assertEquals(Set.of("6f9c8d7b45", "7b4d5c9f8"), hashes.get(new WorkloadRef("shop", DEPLOYMENT, "checkout")));
        assertEquals(Set.of("7c9d5f4b8"), hashes.get(new WorkloadRef("shop", DEPLOYMENT, "api")));
        assertEquals(4, hashes.size(), "the orphaned api-6b7c9d5f4 belongs to no Deployment");
    }

    private void assertOwner(String ns, String pod, WorkloadKind kind, String name) {
        assertEquals(Optional.of(new WorkloadRef(ns, kind, name)), chains.ownerOfLivePod(ns, pod), pod);
    }

    static Workload find(List<Workload> all, WorkloadKind kind, String name) {
        return all.stream().filter(w -> w.kind() == kind && w.name().equals(name)).findFirst().orElseThrow();
    }
}
