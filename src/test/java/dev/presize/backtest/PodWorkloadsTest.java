package dev.presize.backtest;

import dev.presize.history.prometheus.Series;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The export's workload of a pod: kube-state-metrics' owners first, then the pod name's generated parts. */
class PodWorkloadsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // Deployment: <deployment>-<pod-template-hash>-<5 random>
            "checkout-7d9f8b6c4-x2x8q, checkout",
            "api-v2-5c4b7d9f8b-kx2vq, api-v2",
            // ReplicaSet, DaemonSet, Job, ReplicationController: <name>-<5 random>
            "node-exporter-bxz5d, node-exporter",
            "node-db-kx2vq, node-db",
            // CronJob run: <cronjob>-<scheduled minute>-<5 random>; indexed Job: <job>-<index>-<5 random>
            "backup-28177320-7xk2p, backup",
            "train-3-7xk2p, train",
            // StatefulSet: <name>-<ordinal>
            "kafka-0, kafka",
            "redis-node-12, redis-node",
            // Bare pods and names that end in no generated part stay as they are.
            "debug, debug",
            "my-debug-pod, my-debug-pod",
            // A five-character hash (an old or small pod-template-hash) is not taken for one: the rule
            // needs six, so only the random part goes. kube-state-metrics' owners get this right.
            "web-5f7c9-x2x8q, web-5f7c9",
            // The random part has exactly five characters of the alphabet, no vowels.
            "web-abcde, web-abcde"
    })
    void podNameRule(String pod, String workload) {
        assertEquals(workload, PodWorkloads.fromPodName(pod));
        assertEquals(workload, PodWorkloads.byPodNameOnly().workload(pod));
    }

    private static Series owner(String nameLabel, String name, String kind, String owner) {
        return new Series(Map.of(nameLabel, name, "owner_kind", kind, "owner_name", owner), new long[] {0}, new double[] {1});
    }

    @Test
    void kubeStateMetricsOwnersComeFirstAndAreFollowedToTheTop() {
        PodWorkloads w = PodWorkloads.of(
                List.of(owner("pod", "web-5f7c9-x2x8q", "ReplicaSet", "web-5f7c9"),
                        owner("pod", "legacy-7d9f8b6c4-x2x8q", "ReplicaSet", "legacy-7d9f8b6c4"),
                        owner("pod", "backup-28177320-7xk2p", "Job", "backup-28177320"),
                        owner("pod", "once-7xk2p", "Job", "once"),
                        owner("pod", "debug-shell-2", "<none>", "<none>"),
                        owner("pod", "db-0", "StatefulSet", "db"),
                        owner("pod", "canary-7d9f8b6c4-q7k2m", "ReplicaSet", "canary-7d9f8b6c4")),
                List.of(owner("replicaset", "web-5f7c9", "Deployment", "web"),
                        owner("replicaset", "canary-7d9f8b6c4", "Rollout", "shop-canary"),
                        owner("replicaset", "legacy-7d9f8b6c4", "<none>", "<none>")),
                List.of(owner("job_name", "backup-28177320", "CronJob", "nightly")));
        assertEquals("web", w.workload("web-5f7c9-x2x8q"), "ReplicaSet -> Deployment");
        assertEquals("shop-canary", w.workload("canary-7d9f8b6c4-q7k2m"), "a custom controller owning the ReplicaSet");
        assertEquals("legacy-7d9f8b6c4", w.workload("legacy-7d9f8b6c4-x2x8q"), "a ReplicaSet of its own");
        assertEquals("nightly", w.workload("backup-28177320-7xk2p"), "Job -> CronJob");
        assertEquals("once", w.workload("once-7xk2p"), "a Job of its own");
        assertEquals("debug-shell-2", w.workload("debug-shell-2"), "a bare pod is its own workload");
        assertEquals("db", w.workload("db-0"));
        assertEquals("unknown", w.workload("unknown-7d9f8b6c4-x2x8q"), "no owner series: the pod-name rule");
    }
}
