package dev.presize.workloads;

import java.util.Locale;

/**
 * The kinds of top-level pod controller a {@code Requests} object can be about, in the contract's
 * order (api.md). The order matters: when two workloads of different kinds share a name, the
 * earlier kind keeps the plain name ({@link WorkloadNaming}).
 */
public enum WorkloadKind {
    DEPLOYMENT("apps/v1", "Deployment"),
    STATEFUL_SET("apps/v1", "StatefulSet"),
    DAEMON_SET("apps/v1", "DaemonSet"),
    CRON_JOB("batch/v1", "CronJob"),
    JOB("batch/v1", "Job"),
    REPLICA_SET("apps/v1", "ReplicaSet"),
    REPLICATION_CONTROLLER("v1", "ReplicationController"),
    POD("v1", "Pod");

    private final String apiVersion;
    private final String kind;

    WorkloadKind(String apiVersion, String kind) {
        this.apiVersion = apiVersion;
        this.kind = kind;
    }

    public String apiVersion() {
        return apiVersion;
    }

    /** The Kubernetes kind, e.g. {@code StatefulSet}. */
    public String kind() {
        return kind;
    }

    /** The suffix of a renamed colliding workload, e.g. {@code statefulset}. */
    public String lowerCase() {
        return kind.toLowerCase(Locale.ROOT);
    }

    /** The constant for a Kubernetes kind name, exactly as spelled in the API (e.g. {@code DaemonSet}). */
    public static WorkloadKind ofKind(String kind) {
        for (WorkloadKind k : values()) {
            if (k.kind.equals(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not a workload kind: '" + kind + "' (expected one of Deployment,"
                + " StatefulSet, DaemonSet, CronJob, Job, ReplicaSet, ReplicationController, Pod)");
    }
}
