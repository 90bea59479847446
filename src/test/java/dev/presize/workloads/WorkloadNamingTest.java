package dev.presize.workloads;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkloadNamingTest {

    private static Workload w(String ns, WorkloadKind kind, String name) {
        return new Workload(ns, kind, name, Map.of(), Instant.EPOCH, List.of(new ContainerSpec("c", null, null)));
    }

    @Test
    void uniqueNamesStayPlain() {
        Workload a = w("shop", WorkloadKind.DEPLOYMENT, "web");
        Workload b = w("other", WorkloadKind.STATEFUL_SET, "web");
        assertEquals(Map.of(a.ref(), "web", b.ref(), "web"), WorkloadNaming.assign(List.of(a, b)));
    }

    @Test
    void firstKindInContractOrderKeepsTheNameWhateverTheInputOrder() {
        Workload pod = w("shop", WorkloadKind.POD, "web");
        Workload sts = w("shop", WorkloadKind.STATEFUL_SET, "web");
        Workload job = w("shop", WorkloadKind.JOB, "web");
        Map<WorkloadRef, String> names = WorkloadNaming.assign(List.of(pod, job, sts));
        assertEquals("web", names.get(sts.ref()));
        assertEquals("web.job", names.get(job.ref()));
        assertEquals("web.pod", names.get(pod.ref()));

        Workload deploy = w("shop", WorkloadKind.DEPLOYMENT, "web");
        names = WorkloadNaming.assign(List.of(sts, deploy));
        assertEquals("web", names.get(deploy.ref()));
        assertEquals("web.statefulset", names.get(sts.ref()));
        Workload rc = w("shop", WorkloadKind.REPLICATION_CONTROLLER, "web");
        assertEquals("web.replicationcontroller", WorkloadNaming.assign(List.of(rc, deploy)).get(rc.ref()));
    }

    @Test
    void aPlainNameBeatsADerivedOne() {
        Workload deploy = w("shop", WorkloadKind.DEPLOYMENT, "web");
        Workload sts = w("shop", WorkloadKind.STATEFUL_SET, "web");
        Workload dotted = w("shop", WorkloadKind.DAEMON_SET, "web.statefulset");
        Map<WorkloadRef, String> names = WorkloadNaming.assign(List.of(deploy, sts, dotted));
        assertEquals("web.statefulset", names.get(dotted.ref()));
        assertEquals(null, names.get(sts.ref()));
        assertEquals(2, names.size());
    }

    @Test
    void theSameWorkloadTwiceIsAnError() {
        Workload a = w("shop", WorkloadKind.DEPLOYMENT, "web");
        assertThrows(IllegalArgumentException.class, () -> WorkloadNaming.assign(List.of(a, a)));
    }

    @Test
    void kindsCarryTheirApiVersions() {
        assertEquals(List.of("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "ReplicaSet",
                        "ReplicationController", "Pod"),
                java.util.Arrays.stream(WorkloadKind.values()).map(WorkloadKind::kind).toList());
        assertEquals("apps/v1", WorkloadKind.DAEMON_SET.apiVersion());
        assertEquals("batch/v1", WorkloadKind.CRON_JOB.apiVersion());
        assertEquals("v1", WorkloadKind.POD.apiVersion());
        assertEquals(WorkloadKind.REPLICA_SET, WorkloadKind.ofKind("ReplicaSet"));
        assertThrows(IllegalArgumentException.class, () -> WorkloadKind.ofKind("deployment"));
    }
}
