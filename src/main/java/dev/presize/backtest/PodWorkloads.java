package dev.presize.backtest;

import dev.presize.history.prometheus.Series;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the workload of a pod for {@code presize export}, from Prometheus alone. The server resolves
 * owner chains through the Kubernetes API; the export does not read it, and uses what
 * kube-state-metrics recorded instead:
 *
 * <ol>
 * <li>{@code kube_pod_owner}: the pod's controller. A ReplicaSet is followed to its owner through
 *     {@code kube_replicaset_owner} (a Deployment), a Job through {@code kube_job_owner} (a
 *     CronJob); any other owner (StatefulSet, DaemonSet, ReplicationController, a custom controller)
 *     names the workload itself; {@code <none>} (a bare pod) is the pod's own name.</li>
 * <li>Without those series, the pod name, by the patterns Kubernetes' controllers generate
 *     (k8s.io/apiserver names.SimpleNameGenerator: five characters of {@link #ALPHABET}; Deployments'
 *     pod-template-hash: up to ten of them, six or more for all but 1 in 40,000 hashes; StatefulSet
 *     ordinals, Job indexes and CronJob run times: numbers). A trailing {@code -<5 random>} is removed,
 *     then one trailing {@code -<hash>} or {@code -<number>}; or, without a random part, one trailing
 *     {@code -<number>}. A name part made only of those characters (say {@code node-bdz2w4}) is taken
 *     for a hash: kube-state-metrics is the reliable source.</li>
 * </ol>
 *
 * The server would name a collision of kinds ({@code web} Deployment and {@code web} StatefulSet)
 * apart; here both are the workload {@code web}.
 */
final class PodWorkloads {

    /** k8s.io/apimachinery/pkg/util/rand: the characters of generated name parts. */
    static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final String ONE = "[" + ALPHABET + "]";
    private static final Pattern RANDOM = Pattern.compile("(.+)-" + ONE + "{5}");
    private static final Pattern HASH = Pattern.compile("(.+)-" + ONE + "{6,10}");
    private static final Pattern NUMBER = Pattern.compile("(.+)-[0-9]+");
    private static final String NONE = "<none>";

    private final Map<String, String[]> podOwner;
    private final Map<String, String> replicaSetOwner;
    private final Map<String, String> jobOwner;

    private PodWorkloads(Map<String, String[]> podOwner, Map<String, String> replicaSetOwner, Map<String, String> jobOwner) {
        this.podOwner = podOwner;
        this.replicaSetOwner = replicaSetOwner;
        this.jobOwner = jobOwner;
    }

    /** From the results of {@link ExportQueries#podOwners}, {@code replicaSetOwners} and {@code jobOwners}. */
    static PodWorkloads of(List<Series> pods, List<Series> replicaSets, List<Series> jobs) {
        // TreeMaps, filled in label order: a pod with two controllers (never, in a sane cluster) gets the same one each run.
        Map<String, String[]> podOwner = new TreeMap<>();
        for (Series s : sorted(pods)) {
            podOwner.putIfAbsent(s.label("pod"), new String[] {s.label("owner_kind"), s.label("owner_name")});
        }
        return new PodWorkloads(podOwner, owners(replicaSets, "replicaset"), owners(jobs, "job_name"));
    }

    /** No kube-state-metrics: pod names only. */
    static PodWorkloads byPodNameOnly() {
        return new PodWorkloads(Map.of(), Map.of(), Map.of());
    }

    private static Map<String, String> owners(List<Series> series, String nameLabel) {
        Map<String, String> out = new TreeMap<>();
        for (Series s : sorted(series)) {
            String kind = s.label("owner_kind");
            if (!kind.isEmpty() && !kind.equals(NONE) && !s.label("owner_name").isEmpty()) {
                out.putIfAbsent(s.label(nameLabel), s.label("owner_name"));
            }
        }
        return out;
    }

    private static List<Series> sorted(List<Series> series) {
        return series.stream().sorted(java.util.Comparator.comparing(s -> new TreeMap<>(s.labels()).toString())).toList();
    }

    /** The workload that {@code pod} belongs to. */
    String workload(String pod) {
        String[] owner = podOwner.get(pod);
        if (owner == null || owner[1].isEmpty()) {
            return fromPodName(pod);
        }
        return switch (owner[0]) {
            case NONE -> pod;
            case "ReplicaSet" -> replicaSetOwner.getOrDefault(owner[1], owner[1]);
            case "Job" -> jobOwner.getOrDefault(owner[1], owner[1]);
            default -> owner[1];
        };
    }

    /** The rule for a pod kube-state-metrics says nothing about; see the class comment. */
    static String fromPodName(String pod) {
        Matcher random = RANDOM.matcher(pod);
        if (random.matches()) {
            String base = random.group(1);
            Matcher hash = HASH.matcher(base);
            if (hash.matches()) {
                return hash.group(1);
            }
            Matcher number = NUMBER.matcher(base);
            return number.matches() ? number.group(1) : base;
        }
        Matcher ordinal = NUMBER.matcher(pod);
        return ordinal.matches() ? ordinal.group(1) : pod;
    }
}
