package dev.presize.workloads.kubernetes;

import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadRef;
import io.kubernetes.client.common.KubernetesObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.presize.workloads.WorkloadKind.CRON_JOB;
import static dev.presize.workloads.WorkloadKind.DEPLOYMENT;
import static dev.presize.workloads.WorkloadKind.JOB;
import static dev.presize.workloads.WorkloadKind.POD;
import static dev.presize.workloads.WorkloadKind.REPLICA_SET;
import static dev.presize.workloads.WorkloadKind.STATEFUL_SET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OwnerChains} over the fixture cluster with kinds that could not be listed (issue 13). */
class OwnerChainsWithoutKindsTest {

    private static final WorkloadRef CHECKOUT = new WorkloadRef("shop", DEPLOYMENT, "checkout");
    private static final WorkloadRef CHECKOUT_RS = new WorkloadRef("shop", REPLICA_SET, "checkout-6f9c8d7b45");

    @Test
    void withoutReplicaSetsPodsGoToTheirReplicaSetByNameAndTheDeploymentSaysSo() {
        OwnerChains chains = without("replicasets", "V1ReplicaSet");
        OwnerChains.Resolved resolved = chains.resolve();
        Workload rs = find(resolved.workloads(), CHECKOUT_RS);
        assertEquals(Map.of(), rs.labels(), "pods do not carry their controller's labels");
        assertEquals("apps/v1", rs.apiVersion(), "from the pods' owner reference");
        assertEquals(List.of("app", "envoy", "log-shipper"), rs.containers().stream().map(ContainerSpec::name).toList());
        assertEquals(Optional.of(CHECKOUT_RS), chains.ownerOfLivePod("shop", "checkout-6f9c8d7b45-x2x4z"));
        assertEquals(Set.of("replicasets"), resolved.affected().get(CHECKOUT_RS));
        assertEquals(Set.of("replicasets"), resolved.affected().get(CHECKOUT), "its pods could not be followed");
        assertTrue(resolved.workloads().stream().anyMatch(w -> w.ref().equals(CHECKOUT)), "still listed");
        assertFalse(resolved.affected().containsKey(new WorkloadRef("shop", STATEFUL_SET, "web")));
    }

    @Test
    void withoutDeploymentsTheirReplicaSetsAreTheWorkloads() {
        OwnerChains chains = without("deployments", "V1Deployment");
        OwnerChains.Resolved resolved = chains.resolve();
        assertTrue(resolved.workloads().stream().noneMatch(w -> w.kind() == DEPLOYMENT));
        Workload rs = find(resolved.workloads(), CHECKOUT_RS);
        assertEquals(Map.of("app", "checkout", "pod-template-hash", "6f9c8d7b45"), rs.labels());
        assertEquals(Optional.of(CHECKOUT_RS), chains.ownerOfLivePod("shop", "checkout-6f9c8d7b45-x2x4z"));
        assertEquals(Set.of("deployments"), resolved.affected().get(CHECKOUT_RS));
        assertFalse(resolved.affected().containsKey(new WorkloadRef("shop", REPLICA_SET, "api-6b7c9d5f4")),
                "a ReplicaSet of no Deployment is resolved as it always is");
    }

    @Test
    void withoutCronJobsTheirJobsAreJobs() {
        OwnerChains chains = without("cronjobs", "V1CronJob");
        WorkloadRef job = new WorkloadRef("data", JOB, "etl-nightly-29433600");
        OwnerChains.Resolved resolved = chains.resolve();
        assertTrue(resolved.workloads().stream().anyMatch(w -> w.ref().equals(job)));
        assertTrue(resolved.workloads().stream().noneMatch(w -> w.kind() == CRON_JOB));
        assertEquals(Optional.of(job), chains.ownerOfLivePod("data", "etl-nightly-29433600-h7x9d"));
        assertEquals(Map.of(job, Set.of("cronjobs")), resolved.affected());
    }

    @Test
    void withoutStatefulSetsTheirPodsMakeOneWorkloadOfTheOldestCreationAndNewestContainers() {
        OwnerChains chains = without("statefulsets", "V1StatefulSet");
        WorkloadRef web = new WorkloadRef("shop", STATEFUL_SET, "web");
        OwnerChains.Resolved resolved = chains.resolve();
        Workload w = find(resolved.workloads(), web);
        assertEquals(List.of("db", "exporter"), w.containers().stream().map(ContainerSpec::name).toList());
        assertEquals(Optional.of(web), chains.ownerOfLivePod("shop", "web-0"));
        assertEquals(Set.of("statefulsets"), resolved.affected().get(web));
    }

    @Test
    void withoutPodsEveryWorkloadSaysSoAndThereAreNoBarePods() {
        OwnerChains.Resolved resolved = without("pods", "V1Pod").resolve();
        assertTrue(resolved.workloads().stream().noneMatch(w -> w.kind() == POD));
        assertEquals(resolved.workloads().size(), resolved.affected().size());
        resolved.affected().values().forEach(kinds -> assertEquals(Set.of("pods"), kinds));
    }

    /** The fixture cluster without the objects of one kind, which is reported missing. */
    private static OwnerChains without(String resource, String modelClass) {
        List<KubernetesObject> objects = FixtureCluster.objects().stream()
                .filter(o -> !o.getClass().getSimpleName().equals(modelClass)).toList();
        return new OwnerChains(ClusterCaches.of(objects), Set.of(resource), Map.of());
    }

    private static Workload find(List<Workload> all, WorkloadRef ref) {
        return all.stream().filter(w -> w.ref().equals(ref)).findFirst()
                .orElseThrow(() -> new AssertionError(ref + " not in " + all.stream().map(Workload::ref).toList()));
    }
}
