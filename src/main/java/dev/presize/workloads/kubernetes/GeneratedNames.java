package dev.presize.workloads.kubernetes;

import dev.presize.workloads.WorkloadKind;

import java.util.Set;

/**
 * Whether a pod name is one that a workload's controller could have generated. Usage history
 * outlives pods, so the pods of past rollouts, old StatefulSet ordinals and finished CronJob runs are
 * attributed by these rules alone. The formats, from the Kubernetes source:
 *
 * <ul>
 * <li>Random suffixes: {@code names.SimpleNameGenerator} (k8s.io/apiserver/pkg/storage/names/generate.go)
 *     appends {@code utilrand.String(5)}, five characters of {@code bcdfghjklmnpqrstvwxz2456789}
 *     (k8s.io/apimachinery/pkg/util/rand), to the {@code generateName} base, after cutting the base to
 *     {@code MaxGeneratedNameLength} = 63 - 5 = 58 characters.</li>
 * <li>ReplicaSet, ReplicationController, DaemonSet and Job pods: base {@code <controller name>-}
 *     (pkg/controller/controller_utils.go, {@code getPodsPrefix}).</li>
 * <li>Indexed Jobs: base {@code <job name>-<index>-}, cut by shortening the job name so the index
 *     survives (pkg/controller/job/indexed_job_utils.go, {@code podGenerateNameWithIndex}).</li>
 * <li>Deployments: ReplicaSet {@code <deployment>-<pod-template-hash>} (pkg/controller/deployment/sync.go),
 *     the hash being {@code rand.SafeEncodeString} of a decimal uint32 (pkg/controller/controller_utils.go,
 *     {@code ComputeHash}): 1 to 10 characters of the same alphabet.</li>
 * <li>StatefulSets: {@code <name>-<ordinal>} (pkg/controller/statefulset/stateful_set_utils.go,
 *     {@code getPodName}); no random part.</li>
 * <li>CronJobs: Job {@code <cronjob>-<scheduled time in Unix minutes>} (pkg/controller/cronjob/utils.go,
 *     {@code getJobName} / {@code getTimeHashInMinutes}), whose pods follow the Job rules.</li>
 * </ul>
 */
final class GeneratedNames {

    /** k8s.io/apimachinery/pkg/util/rand: consonants and digits, so generated names spell no words. */
    static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    static final int RANDOM_LENGTH = 5;
    static final int MAX_GENERATED_BASE = 58;
    static final int MAX_HASH_LENGTH = 10;

    private GeneratedNames() {
    }

    /**
     * Whether {@code pod} could be a pod of the workload {@code name} of {@code kind}.
     *
     * @param knownHashes for a Deployment, the {@code pod-template-hash} of its ReplicaSets that
     *                    still exist; a name with another hash still matches if the hash is
     *                    well-formed (its ReplicaSet may have been pruned by revisionHistoryLimit)
     */
    static Match match(WorkloadKind kind, String name, Set<String> knownHashes, String pod) {
        switch (kind) {
            case POD:
                return pod.equals(name) ? Match.EXACT : Match.NONE;
            case STATEFUL_SET:
                return pod.startsWith(name + "-") && isOrdinal(pod, name.length() + 1, pod.length())
                        ? Match.EXACT : Match.NONE;
            default:
                break;
        }
        String base = baseOf(pod);
        if (base == null) {
            return Match.NONE;
        }
        return switch (kind) {
            case DAEMON_SET, REPLICA_SET, REPLICATION_CONTROLLER -> base.equals(cut(name + "-")) ? Match.EXACT : Match.NONE;
            case JOB -> jobMatches(name, base) ? Match.EXACT : Match.NONE;
            case CRON_JOB -> cronJobMatches(name, base) ? Match.EXACT : Match.NONE;
            case DEPLOYMENT -> deploymentMatch(name, knownHashes, base);
            default -> Match.NONE;
        };
    }

    /** How sure a match is: a Deployment pod whose hash is not among its ReplicaSets' is a {@link #PATTERN} match. */
    enum Match {
        NONE, PATTERN, EXACT
    }

    /** The generateName base of a pod name (without the random suffix), or null if it has none. */
    static String baseOf(String pod) {
        if (pod.length() <= RANDOM_LENGTH) {
            return null;
        }
        for (int i = pod.length() - RANDOM_LENGTH; i < pod.length(); i++) {
            if (ALPHABET.indexOf(pod.charAt(i)) < 0) {
                return null;
            }
        }
        return pod.substring(0, pod.length() - RANDOM_LENGTH);
    }

    private static String cut(String base) {
        return base.length() > MAX_GENERATED_BASE ? base.substring(0, MAX_GENERATED_BASE) : base;
    }

    private static boolean wasCut(String base) {
        return base.length() == MAX_GENERATED_BASE;
    }

    private static boolean jobMatches(String job, String base) {
        if (base.equals(cut(job + "-"))) {
            return true;
        }
        String indexed = indexedJobName(base);
        return indexed != null && (indexed.equals(job) || (wasCut(base) && job.startsWith(indexed)));
    }

    private static boolean cronJobMatches(String cronJob, String base) {
        // Non-indexed Job pods: base = cut("<cronjob>-<minutes>-").
        if (base.endsWith("-") && isCronJobName(cronJob, base.substring(0, base.length() - 1), false)) {
            return true;
        }
        if (wasCut(base) && isCronJobName(cronJob, base, true)) {
            return true;
        }
        // Indexed Job pods: base = "<job name, possibly shortened>-<index>-".
        String indexed = indexedJobName(base);
        return indexed != null && isCronJobName(cronJob, indexed, wasCut(base));
    }

    /** Whether {@code job} is {@code <cronJob>-<minutes>}, or, if {@code cut}, a prefix of such a name. */
    private static boolean isCronJobName(String cronJob, String job, boolean cut) {
        String prefix = cronJob + "-";
        if (job.startsWith(prefix)) {
            int digits = job.length() - prefix.length();
            return (digits > 0 || cut) && isDigits(job, prefix.length(), job.length());
        }
        return cut && !job.isEmpty() && prefix.startsWith(job);
    }

    /** The job name part of an indexed Job pod's base {@code <job>-<index>-}, or null. */
    private static String indexedJobName(String base) {
        if (!base.endsWith("-")) {
            return null;
        }
        int end = base.length() - 1;
        int start = end;
        while (start > 0 && Character.isDigit(base.charAt(start - 1))) {
            start--;
        }
        if (start == end || start < 2 || base.charAt(start - 1) != '-') {
            return null;
        }
        return base.substring(0, start - 1);
    }

    private static Match deploymentMatch(String deployment, Set<String> knownHashes, String base) {
        for (String hash : knownHashes) {
            if (base.equals(cut(deployment + "-" + hash + "-"))) {
                return Match.EXACT;
            }
        }
        String prefix = deployment + "-";
        if (!base.startsWith(prefix)) {
            // The whole hash was cut off a very long name.
            return wasCut(base) && prefix.startsWith(base) ? Match.PATTERN : Match.NONE;
        }
        String rest = base.substring(prefix.length());
        boolean complete = rest.endsWith("-");
        String hash = complete ? rest.substring(0, rest.length() - 1) : rest;
        if (!complete && !wasCut(base)) {
            return Match.NONE;
        }
        if ((complete && hash.isEmpty()) || hash.length() > MAX_HASH_LENGTH) {
            return Match.NONE;
        }
        for (int i = 0; i < hash.length(); i++) {
            if (ALPHABET.indexOf(hash.charAt(i)) < 0) {
                return Match.NONE;
            }
        }
        return Match.PATTERN;
    }

    private static boolean isOrdinal(String s, int from, int to) {
        return from < to && isDigits(s, from, to) && (s.charAt(from) != '0' || to - from == 1);
    }

    private static boolean isDigits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
