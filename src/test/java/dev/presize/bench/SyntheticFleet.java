package dev.presize.bench;

import dev.presize.history.ContainerSeries;
import dev.presize.history.TraceReader;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import dev.presize.workloads.WorkloadRef;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic cluster for the refresh benchmark (bench/refresh/run): {@code containers} pod containers
 * over {@code namespaces} namespaces, 14 days of usage at 5-minute steps, every series a real
 * Bitbrains VM series (src/test/resources/traces/bitbrains-rnd-slice.csv.gz) resampled, scaled and
 * shifted, so the shapes (diurnal cycles, bursts, plateaus, idle VMs) are real ones.
 *
 * <p>How one series is made from the slice's 8 VMs: pick a VM; take its <em>complete</em> days (every
 * 5-minute slot has a CPU sample; the slice's days around its 24 h hole are dropped) and lay 15 of
 * them end to end, starting at a random one and cycling in order, so day-to-day drift is kept; start
 * reading at a random 5-minute phase of the first day (a time-of-day shift); multiply CPU and memory
 * by independent log-normal factors. Memory gaps in the slice (vm-24 reports memory in 4 % of its rows)
 * are filled with the last value seen, since cAdvisor reports a working set at every scrape. The
 * replicas of one workload share VM, days and phase, with their own small scale jitter and a phase
 * offset of up to 15 minutes, as replicas behind one load balancer do.
 *
 * <p>Workloads: Deployments (70 %), StatefulSets (20 %) and DaemonSets (10 %) with 1–3 pods (DaemonSets
 * 2–4) and 1–3 containers, long-lived pods named as their controllers name them. Current requests are
 * the VM's provisioned CPU and memory from the trace, scaled like its usage. Everything follows from
 * the seed: {@code generate} (the TSDB) and {@code refresh} (the workloads) build the same fleet.
 */
final class SyntheticFleet {

    /** 2024-03-04T00:00Z, a Monday; the data covers [START, END). */
    static final long START = 1709510400L;
    static final int DAYS = 14;
    static final long STEP = 300;
    static final int SLOTS_PER_DAY = 288;
    static final int SLOTS = DAYS * SLOTS_PER_DAY;
    static final long END = START + SLOTS * STEP;

    /** The slice's first instant, a midnight (traces/README.md). */
    private static final long SLICE_START = 1374883200L;
    private static final String[] NAMES = {"api", "web", "worker", "cache", "db", "queue", "search", "auth",
            "billing", "ingest", "etl", "frontend", "gateway", "metrics", "scheduler", "notifier"};
    private static final String[] CONTAINERS = {"app", "sidecar", "log-shipper"};
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    /** One VM of the slice on the 5-minute grid: complete days only, memory gap-filled. */
    record BaseVm(String name, double[][] cpuDays, double[][] memoryDays, double cpuRequest, double memoryRequest) {
    }

    /** How one pod container's series is read off a VM. */
    record Pattern(BaseVm vm, int[] days, int phase, double cpuScale, double memoryScale) {

        /** Average cores over the 5-minute interval starting at {@code START + slot * STEP}. */
        double cpu(int slot) {
            int s = slot + phase;
            return vm.cpuDays()[days[s / SLOTS_PER_DAY]][s % SLOTS_PER_DAY] * cpuScale;
        }

        /** Working set in that interval, bytes. */
        double memory(int slot) {
            int s = slot + phase;
            return vm.memoryDays()[days[s / SLOTS_PER_DAY]][s % SLOTS_PER_DAY] * memoryScale;
        }
    }

    record PodContainer(String namespace, String pod, String container, String node, String cgroupId, Pattern pattern) {
    }

    private final List<Workload> workloads = new ArrayList<>();
    private final List<PodContainer> podContainers = new ArrayList<>();
    private final Map<String, WorkloadRef> ownerByPod = new LinkedHashMap<>();

    private SyntheticFleet() {
    }

    static SyntheticFleet build(int containers, int namespaces, long seed) throws IOException {
        if (containers < namespaces || namespaces < 1) {
            throw new IllegalArgumentException("need at least one container per namespace, got " + containers
                    + " containers in " + namespaces + " namespaces");
        }
        List<BaseVm> vms = baseVms();
        SyntheticFleet fleet = new SyntheticFleet();
        Random random = new Random(seed);
        int nodes = Math.max(3, containers / 50);
        for (int n = 0; n < namespaces; n++) {
            String namespace = String.format("team-%02d", n);
            int quota = containers / namespaces + (n < containers % namespaces ? 1 : 0);
            int index = 0;
            while (quota > 0) {
                double k = random.nextDouble();
                WorkloadKind kind = k < 0.7 ? WorkloadKind.DEPLOYMENT : k < 0.9 ? WorkloadKind.STATEFUL_SET
                        : WorkloadKind.DAEMON_SET;
                int replicas = kind == WorkloadKind.DAEMON_SET ? 2 + random.nextInt(3) : 1 + random.nextInt(3);
                double c = random.nextDouble();
                int perPod = c < 0.7 ? 1 : c < 0.95 ? 2 : 3;
                perPod = Math.min(perPod, quota);
                replicas = Math.max(1, Math.min(replicas, quota / perPod));
                quota -= replicas * perPod;
                String name = NAMES[random.nextInt(NAMES.length)] + "-" + index++;
                fleet.addWorkload(namespace, kind, name, replicas, perPod, vms, random, nodes);
            }
        }
        return fleet;
    }

    private void addWorkload(String namespace, WorkloadKind kind, String name, int replicas, int perPod,
                             List<BaseVm> vms, Random random, int nodes) {
        List<ContainerSpec> specs = new ArrayList<>();
        Pattern[] shared = new Pattern[perPod];
        for (int c = 0; c < perPod; c++) {
            BaseVm vm = vms.get(random.nextInt(vms.size()));
            int[] days = new int[DAYS + 1];
            int first = random.nextInt(vm.cpuDays().length);
            for (int d = 0; d < days.length; d++) {
                days[d] = (first + d) % vm.cpuDays().length;
            }
            double cpuScale = Math.exp(0.7 * random.nextGaussian());
            double memoryScale = Math.exp(0.7 * random.nextGaussian());
            shared[c] = new Pattern(vm, days, random.nextInt(SLOTS_PER_DAY - 3), cpuScale, memoryScale);
            specs.add(new ContainerSpec(CONTAINERS[c], vm.cpuRequest() * cpuScale, vm.memoryRequest() * memoryScale));
        }
        Workload w = new Workload(namespace, kind, name, Map.of("app", name, "team", namespace),
                Instant.ofEpochSecond(START - 30 * 86400L), specs);
        workloads.add(w);
        String templateHash = suffix(random, 10);
        for (int r = 0; r < replicas; r++) {
            String pod = switch (kind) {
                case DEPLOYMENT -> name + "-" + templateHash + "-" + suffix(random, 5);
                case STATEFUL_SET -> name + "-" + r;
                default -> name + "-" + suffix(random, 5);
            };
            ownerByPod.put(namespace + "/" + pod, w.ref());
            String node = "node-" + random.nextInt(nodes);
            for (int c = 0; c < perPod; c++) {
                Pattern p = shared[c];
                // Replicas: same days, a phase up to 15 minutes apart, ±10 % scale.
                Pattern replica = new Pattern(p.vm(), p.days(), p.phase() + random.nextInt(4),
                        p.cpuScale() * Math.exp(0.1 * random.nextGaussian()),
                        p.memoryScale() * Math.exp(0.1 * random.nextGaussian()));
                podContainers.add(new PodContainer(namespace, pod, CONTAINERS[c], node,
                        Long.toHexString(random.nextLong() & Long.MAX_VALUE), replica));
            }
        }
    }

    List<Workload> workloads() {
        return workloads;
    }

    List<PodContainer> podContainers() {
        return podContainers;
    }

    /** The workload a pod belongs to, by namespace and pod name. */
    WorkloadRef ownerOf(String namespace, String pod) {
        return ownerByPod.get(namespace + "/" + pod);
    }

    private static String suffix(Random random, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** The slice's VMs on the grid; VMs without a single memory sample or complete day are skipped. */
    static List<BaseVm> baseVms() throws IOException {
        List<ContainerSeries> raw;
        try (InputStream in = SyntheticFleet.class.getResourceAsStream("/traces/bitbrains-rnd-slice.csv.gz")) {
            if (in == null) {
                throw new IOException("traces/bitbrains-rnd-slice.csv.gz not on the classpath (run test-compile)");
            }
            raw = new TraceReader().read(in, "bitbrains-rnd-slice.csv.gz");
        }
        List<BaseVm> out = new ArrayList<>();
        for (ContainerSeries s : raw) {
            BaseVm vm = onGrid(s);
            if (vm != null) {
                out.add(vm);
            }
        }
        return out;
    }

    private static BaseVm onGrid(ContainerSeries s) {
        long last = s.timestamps()[s.size() - 1];
        int days = (int) ((last - SLICE_START) / 86400) + 1;
        double[] cpu = new double[days * SLOTS_PER_DAY];
        double[] memory = new double[cpu.length];
        Arrays.fill(cpu, Double.NaN);
        Arrays.fill(memory, Double.NaN);
        for (int i = 0; i < s.size(); i++) {
            int slot = (int) Math.floorDiv(s.timestamps()[i] - SLICE_START, STEP);
            if (slot >= 0 && slot < cpu.length) {
                // Samples drift off the grid by a second now and then; a taken slot moves to the next.
                while (slot < cpu.length - 1 && !Double.isNaN(cpu[slot])) {
                    slot++;
                }
                cpu[slot] = s.cpuCores()[i];
                memory[slot] = s.memoryBytes()[i];
            }
        }
        double seen = Double.NaN;
        for (int i = 0; i < memory.length; i++) {
            if (Double.isNaN(memory[i])) {
                memory[i] = seen;
            } else {
                seen = memory[i];
            }
        }
        double firstSeen = Double.NaN;
        for (double m : memory) {
            if (!Double.isNaN(m)) {
                firstSeen = m;
                break;
            }
        }
        if (Double.isNaN(firstSeen)) {
            return null;
        }
        List<double[]> cpuDays = new ArrayList<>();
        List<double[]> memoryDays = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            double[] c = Arrays.copyOfRange(cpu, d * SLOTS_PER_DAY, (d + 1) * SLOTS_PER_DAY);
            double[] m = Arrays.copyOfRange(memory, d * SLOTS_PER_DAY, (d + 1) * SLOTS_PER_DAY);
            if (Arrays.stream(c).noneMatch(Double::isNaN)) {
                for (int i = 0; i < m.length; i++) {
                    m[i] = Double.isNaN(m[i]) ? firstSeen : m[i];
                }
                cpuDays.add(c);
                memoryDays.add(m);
            }
        }
        if (cpuDays.isEmpty()) {
            return null;
        }
        return new BaseVm(s.workload(), cpuDays.toArray(double[][]::new), memoryDays.toArray(double[][]::new),
                s.cpuRequestCores(), s.memoryRequestBytes());
    }
}
