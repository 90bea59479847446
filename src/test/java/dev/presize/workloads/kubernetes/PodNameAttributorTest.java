package dev.presize.workloads.kubernetes;

import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;
import org.junit.jupiter.api.Test;

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

/** Pods that no longer exist, attributed by the names their controllers generated (fixture cluster). */
class PodNameAttributorTest {

    private final OwnerChains chains = new OwnerChains(FixtureCluster.caches());
    private final PodNameAttributor names = new PodNameAttributor(chains.workloads(), chains.podTemplateHashes());

    @Test
    void oldRolloutsOfADeployment() {
        assertOwner("shop", "checkout-7b4d5c9f8-k2l9p", DEPLOYMENT, "checkout");   // its old ReplicaSet's hash
        assertOwner("shop", "checkout-589bd7fc6c-wz4t8", DEPLOYMENT, "checkout");  // ReplicaSet pruned long ago
        assertOwner("shop", "web-5f7c8d9b4-q4w7x", DEPLOYMENT, "web");
        assertOwner("shop", "admin-5c7d9f4b6-h2j4k", DEPLOYMENT, "admin");         // scaled to 0 now
    }

    @Test
    void theSameNameOfTwoKindsIsToldApartByTheNameFormat() {
        assertOwner("shop", "web-2", STATEFUL_SET, "web");   // an ordinal scaled away
        assertOwner("shop", "web-0", STATEFUL_SET, "web");
        assertOwner("shop", "web-8f6d4b7c9-n5m8q", DEPLOYMENT, "web");
        assertNone("shop", "web-x2x4z");                        // neither: no DaemonSet or ReplicaSet "web"
        assertNone("shop", "web-02");                           // ordinals have no leading zeros
    }

    @Test
    void finishedCronJobRunsAndJobs() {
        assertOwner("data", "etl-nightly-29432160-p4r2s", CRON_JOB, "etl-nightly");
        assertOwner("data", "etl-nightly-29432160-3-p4r2s", CRON_JOB, "etl-nightly");  // an Indexed Job's pod
        assertOwner("data", "backfill-k7n2c", JOB, "backfill");
        assertOwner("data", "backfill-0-k7n2c", JOB, "backfill");
        assertNone("data", "etl-nightly-k7n2c");                                  // a CronJob's pods always carry the run
    }

    @Test
    void otherControllersAndBarePods() {
        assertOwner("monitoring", "node-agent-b8k4r", DAEMON_SET, "node-agent");
        assertOwner("shop", "legacy-api-x9z2b", REPLICATION_CONTROLLER, "legacy-api");
        assertOwner("data", "ingest-workers-9bq2r", REPLICA_SET, "ingest-workers");
        assertOwner("shop", "debug-shell", POD, "debug-shell");
        assertNone("shop", "debug-shell-x9z2b");
        assertNone("shop", "checkout-6f9c8d7b45-aeiou");   // vowels never occur in generated suffixes
        assertNone("data", "checkout-6f9c8d7b45-x2x4z");   // wrong namespace
        assertNone("shop", "unknown-6f9c8d7b45-x2x4z");
    }

    @Test
    void theLongestNameWinsWhenSeveralWorkloadsFit() {
        // Deployment "api" reads "6b7c9d5f4" as a hash; the orphaned ReplicaSet "api-6b7c9d5f4" is more specific.
        assertOwner("shop", "api-6b7c9d5f4-q2w5z", REPLICA_SET, "api-6b7c9d5f4");
        assertOwner("shop", "api-7c9d5f4b8-q2w5z", DEPLOYMENT, "api");
        assertOwner("shop", "api-5f4b8c9d7-q2w5z", DEPLOYMENT, "api");
    }

    @Test
    void generateNameBasesAreCutTo58Characters() {
        String ds = "a-daemonset-with-a-name-that-is-much-too-long-to-keep-whole";   // 59 characters
        assertMatch(DAEMON_SET, ds, ds.substring(0, 58) + "x2x4z");
        assertNoMatch(DAEMON_SET, ds, ds.substring(0, 57) + "x2x4z");

        String deploy = "a-deployment-with-a-name-of-fifty-characters-long";          // 49 characters
        assertMatch(DEPLOYMENT, deploy, (deploy + "-6f9c8d7b45-").substring(0, 58) + "x2x4z");
        assertEquals(GeneratedNames.Match.EXACT, GeneratedNames.match(DEPLOYMENT, deploy, Set.of("6f9c8d7b45"),
                (deploy + "-6f9c8d7b45-").substring(0, 58) + "x2x4z"));

        String cron = "a-cronjob-name-of-the-maximum-length-fifty-two-chars";         // 52 characters
        assertMatch(CRON_JOB, cron, (cron + "-29432160-").substring(0, 58) + "x2x4z");

        String job = "an-indexed-job-whose-name-is-too-long-for-the-index-to-fit-x";
        assertMatch(JOB, job, job.substring(0, 55) + "-7-x2x4z");
    }

    private void assertOwner(String ns, String pod, WorkloadKind kind, String name) {
        assertEquals(Optional.of(new WorkloadRef(ns, kind, name)), names.ownerOf(ns, pod), pod);
    }

    private void assertNone(String ns, String pod) {
        assertEquals(Optional.empty(), names.ownerOf(ns, pod), pod);
    }

    private static void assertMatch(WorkloadKind kind, String name, String pod) {
        assertEquals(63, pod.length(), pod);
        assertEquals(true, GeneratedNames.match(kind, name, Set.of(), pod) != GeneratedNames.Match.NONE, pod);
    }

    private static void assertNoMatch(WorkloadKind kind, String name, String pod) {
        assertEquals(GeneratedNames.Match.NONE, GeneratedNames.match(kind, name, Set.of(), pod), pod);
    }
}
