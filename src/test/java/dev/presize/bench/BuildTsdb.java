package dev.presize.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Writes the {@link SyntheticFleet}'s cAdvisor metrics as OpenMetrics and turns them into Prometheus
 * TSDB blocks with {@code promtool tsdb create-blocks-from openmetrics}, streaming: one file per
 * 2-hour block window (promtool 2.42 re-reads its whole input once per block it writes, see
 * PrometheusProcess in the tests), at most three on disk at once, converted two at a time, each
 * deleted once converted.
 *
 * <p>One point per series every 5 minutes (a 5-minute scrape), on the 5-minute grid:
 * {@code container_cpu_usage_seconds_total} at {@code t} holds the CPU used before {@code t}, so
 * {@code rate(...[5m])} at a grid instant (whose range holds both ends under Prometheus 2.x's closed
 * ranges) is exactly the 5 minutes that just ended; {@code container_memory_working_set_bytes} at
 * {@code t} is the working set of the interval starting at {@code t}. With a real, jittered 5-minute
 * scrape {@code rate(...[5m])} would mostly see a single point and return nothing; Presize's queries
 * assume a scrape interval well under 5 minutes (cAdvisor is usually scraped every 15–60 s), which
 * would mean 5–20 × these samples per series.
 *
 * <p>Labels are the kubelet's cAdvisor labels for a container ({@code container, id, image, instance,
 * job, metrics_path, name, namespace, pod}). Left out, to keep the TSDB within budget: the pause
 * container and pod-level cgroup series that the queries filter away, and kube-state-metrics'
 * OOM gauge (absent here, so its query returns nothing, as for a cluster without OOM kills).
 *
 * <p>Usage: {@code BuildTsdb <containers> <namespaces> <seed> <tsdb dir> <scratch dir>}.
 */
public final class BuildTsdb {

    private static final long BLOCK = 7200;
    private static final int SLOTS_PER_BLOCK = (int) (BLOCK / SyntheticFleet.STEP);

    private BuildTsdb() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: BuildTsdb <containers> <namespaces> <seed> <tsdb dir> <scratch dir>");
            System.exit(2);
        }
        int containers = Integer.parseInt(args[0]);
        int namespaces = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        Path tsdb = Files.createDirectories(Path.of(args[3]));
        Path scratch = Files.createDirectories(Path.of(args[4]));
        long started = System.nanoTime();
        SyntheticFleet fleet = SyntheticFleet.build(containers, namespaces, seed);
        List<SyntheticFleet.PodContainer> pcs = fleet.podContainers();
        String[] labels = new String[pcs.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = labels(pcs.get(i));
        }
        System.err.printf("fleet: %d workloads, %d pod containers in %d namespaces%n",
                fleet.workloads().size(), pcs.size(), namespaces);

        double[] counters = new double[pcs.size()];
        ExecutorService promtool = Executors.newFixedThreadPool(2);
        Semaphore onDisk = new Semaphore(3);
        List<Future<?>> jobs = new ArrayList<>();
        long lines = 0;
        long bytes = 0;
        try {
            // Slots 0..SLOTS inclusive: the point at END closes the last 5-minute interval.
            for (int from = 0; from <= SyntheticFleet.SLOTS; from += SLOTS_PER_BLOCK) {
                int to = Math.min(from + SLOTS_PER_BLOCK, SyntheticFleet.SLOTS + 1);
                onDisk.acquire();
                Path file = scratch.resolve("block-" + from + ".om");
                try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                    lines += write(out, pcs, labels, counters, from, to);
                }
                bytes += Files.size(file);
                jobs.add(promtool.submit(() -> {
                    try {
                        promtool(file, tsdb, scratch.resolve("promtool.log"));
                        Files.delete(file);
                    } finally {
                        onDisk.release();
                    }
                    return null;
                }));
                for (Future<?> job : jobs) {
                    if (job.isDone()) {
                        job.get(); // fail early
                    }
                }
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } finally {
            promtool.shutdownNow();
        }
        System.err.printf("tsdb: %,d samples (%,d MB of OpenMetrics, streamed) in %d blocks, %.0f s%n", lines,
                bytes >> 20, jobs.size(), (System.nanoTime() - started) / 1e9);
    }

    /** One block window's points: the counter family, then the gauge family, each series in time order. */
    private static long write(Writer out, List<SyntheticFleet.PodContainer> pcs, String[] labels, double[] counters,
                              int from, int to) throws IOException {
        long lines = 0;
        StringBuilder sb = new StringBuilder(1 << 16);
        out.write("# TYPE container_cpu_usage_seconds counter\n");
        for (int c = 0; c < pcs.size(); c++) {
            SyntheticFleet.Pattern p = pcs.get(c).pattern();
            for (int slot = from; slot < to; slot++) {
                sb.append("container_cpu_usage_seconds_total").append(labels[c]).append(' ')
                        .append(counters[c]).append(' ').append(SyntheticFleet.START + slot * SyntheticFleet.STEP)
                        .append('\n');
                if (slot < SyntheticFleet.SLOTS) {
                    counters[c] += p.cpu(slot) * SyntheticFleet.STEP;
                }
                lines++;
            }
            if (sb.length() > 1 << 15) {
                out.append(sb);
                sb.setLength(0);
            }
        }
        out.append(sb);
        sb.setLength(0);
        out.write("# TYPE container_memory_working_set_bytes gauge\n");
        for (int c = 0; c < pcs.size(); c++) {
            SyntheticFleet.Pattern p = pcs.get(c).pattern();
            for (int slot = from; slot < Math.min(to, SyntheticFleet.SLOTS); slot++) {
                sb.append("container_memory_working_set_bytes").append(labels[c]).append(' ')
                        .append(Math.round(p.memory(slot))).append(' ')
                        .append(SyntheticFleet.START + slot * SyntheticFleet.STEP).append('\n');
                lines++;
            }
            if (sb.length() > 1 << 15) {
                out.append(sb);
                sb.setLength(0);
            }
        }
        out.append(sb);
        out.write("# EOF\n");
        return lines;
    }

    private static String labels(SyntheticFleet.PodContainer pc) {
        String uid = String.format("%08x-%04x-4000-8000-000000000000", (pc.namespace() + "/" + pc.pod()).hashCode(),
                pc.pod().length());
        return "{container=\"" + pc.container() + "\",id=\"/kubepods/burstable/pod" + uid + "/" + pc.cgroupId()
                + "\",image=\"registry.example/" + pc.container() + ":1.4.2\",instance=\"" + pc.node()
                + "\",job=\"kubelet\",metrics_path=\"/metrics/cadvisor\",name=\"" + pc.cgroupId() + "\",namespace=\""
                + pc.namespace() + "\",pod=\"" + pc.pod() + "\"}";
    }

    private static void promtool(Path file, Path tsdb, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics", "--quiet",
                file.toString(), tsdb.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("promtool timed out on " + file);
        }
        if (p.exitValue() != 0) {
            throw new IOException("promtool exited with " + p.exitValue() + " on " + file + "; see " + log);
        }
    }
}
