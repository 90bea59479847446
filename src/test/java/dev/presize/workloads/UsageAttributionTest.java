package dev.presize.workloads;

import dev.presize.history.HourlyUsage;
import dev.presize.history.PodUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pooling the pods of one workload container: per hour the largest quantiles and peak, the sample-weighted mean. */
class UsageAttributionTest {

    private static final long START = 1_699_999_200L;

    private static HourlyUsage.Builder usage(int hours) {
        return HourlyUsage.builder(START, hours);
    }

    private static void cpu(HourlyUsage.Builder u, int slot, float mean, int samples, float... knots) {
        u.cpuMean()[slot] = mean;
        u.samples()[slot] = (short) samples;
        for (int k = 0; k < knots.length; k++) {
            u.cpuQuantiles()[k][slot] = knots[k];
        }
    }

    @Test
    void poolsEachHourAsTheLargestQuantilesAndTheSampleWeightedMean() {
        HourlyUsage.Builder a = usage(2);
        HourlyUsage.Builder b = usage(2);
        // Hour 0: a's tail is heavier (p95 and up), b's body (p50, p90).
        cpu(a, 0, 0.2f, 10, 0.1f, 0.2f, 0.8f, 0.85f, 0.95f);
        cpu(b, 0, 0.6f, 30, 0.5f, 0.6f, 0.65f, 0.7f, 0.9f);
        a.memoryMax()[0] = 3e9f;
        b.memoryMax()[0] = 1e9f;
        // Hour 1: only a has CPU, only b has memory, b was OOM-killed.
        cpu(a, 1, 0.3f, 12, 0.3f, 0.3f, 0.3f, 0.3f, 0.3f);
        b.memoryMax()[1] = 2e9f;
        b.oomKilled()[1] = true;

        HourlyUsage builtA = a.build();
        HourlyUsage pooled = UsageAttribution.pool(List.of(builtA, b.build()));

        assertArrayEquals(new float[] {0.5f, 0.6f, 0.8f, 0.85f, 0.95f}, knots(pooled, 0), "largest per level");
        assertEquals((0.2 * 10 + 0.6 * 30) / 40, pooled.cpuMean()[0], 1e-6, "mean weighted by samples");
        assertEquals(40, pooled.samples()[0]);
        assertEquals(3e9f, pooled.memoryMax()[0]);
        assertFalse(pooled.oomKilled()[0]);

        assertArrayEquals(new float[] {0.3f, 0.3f, 0.3f, 0.3f, 0.3f}, knots(pooled, 1), "a pod without CPU adds nothing");
        assertEquals(0.3f, pooled.cpuMean()[1]);
        assertEquals(12, pooled.samples()[1]);
        assertEquals(2e9f, pooled.memoryMax()[1], "a pod without memory adds nothing");
        assertTrue(pooled.oomKilled()[1], "any pod's OOM kill counts");

        // The inputs are left alone.
        assertEquals(0.1f, builtA.cpuQuantiles()[0][0]);
        assertEquals(10, builtA.samples()[0]);
    }

    @Test
    void anHourWithoutAnyPodStaysMissing() {
        HourlyUsage.Builder a = usage(2);
        cpu(a, 0, 0.2f, 10, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f);
        HourlyUsage pooled = UsageAttribution.pool(List.of(a.build(), usage(2).build()));
        assertFalse(pooled.hasCpu(1));
        assertFalse(pooled.hasMemory(1));
        assertEquals(0, pooled.samples()[1]);
    }

    @Test
    void sampleCountsSaturateInsteadOfOverflowing() {
        HourlyUsage.Builder a = usage(1);
        HourlyUsage.Builder b = usage(1);
        cpu(a, 0, 1f, 20_000, 1f, 1f, 1f, 1f, 1f);
        cpu(b, 0, 3f, 20_000, 3f, 3f, 3f, 3f, 3f);
        HourlyUsage pooled = UsageAttribution.pool(List.of(a.build(), b.build()));
        assertEquals(Short.MAX_VALUE, pooled.samples()[0]);
        assertEquals(2f, pooled.cpuMean()[0], 1e-6);
    }

    @Test
    void aSinglePodIsItsOwnPool() {
        HourlyUsage.Builder b = usage(1);
        cpu(b, 0, 1f, 5, 1f, 1f, 1f, 1f, 1f);
        HourlyUsage a = b.build();
        assertSame(a, UsageAttribution.pool(List.of(a)));
    }

    @Test
    void refusesUsagesOverDifferentHours() {
        assertThrows(IllegalArgumentException.class,
                () -> UsageAttribution.pool(List.of(usage(2).build(), usage(3).build())));
        assertThrows(IllegalArgumentException.class,
                () -> UsageAttribution.pool(List.of(usage(2).build(), HourlyUsage.empty(START + 3600, 2))));
    }

    @Test
    void attributesPodsToTheirWorkloadPerContainerAndDropsUnclaimedPods() {
        Workload web = new Workload("shop", WorkloadKind.DEPLOYMENT, "web", Map.of(), Instant.EPOCH,
                List.of(new ContainerSpec("app", 1.0, 1e9), new ContainerSpec("proxy", 0.1, 1e8)));
        // Pods named web-<hash>-<suffix> belong to web, as a ReplicaSet names them.
        WorkloadSource source = new WorkloadSource() {
            @Override
            public List<Workload> workloads(Instant at) {
                return List.of(web);
            }

            @Override
            public Optional<WorkloadRef> ownerOf(List<Workload> workloads, String namespace, String pod,
                                                 String container) {
                return namespace.equals("shop") && pod.startsWith("web-") ? Optional.of(web.ref()) : Optional.empty();
            }
        };
        HourlyUsage app1 = oneHour(1f);
        HourlyUsage app2 = oneHour(2f);
        HourlyUsage proxy1 = oneHour(0.1f);
        HourlyUsage stray = oneHour(9f);

        Map<WorkloadRef, Map<String, HourlyUsage>> out = UsageAttribution.attribute(List.of(web), source, List.of(
                new PodUsage("shop", "web-5d4f8-abcde", "app", app1),
                new PodUsage("shop", "web-5d4f8-fghij", "app", app2),
                new PodUsage("shop", "web-5d4f8-abcde", "proxy", proxy1),
                new PodUsage("shop", "cron-123", "app", stray),
                new PodUsage("other", "web-5d4f8-abcde", "app", stray)));

        assertEquals(Map.of(web.ref(), Map.of("app", UsageAttribution.pool(List.of(app1, app2)), "proxy", proxy1)), out);
        assertEquals(2f, out.get(web.ref()).get("app").cpuMax(0));
        assertEquals(20, out.get(web.ref()).get("app").samples()[0]);
    }

    /** One hour of 10 samples, all at {@code cores}. */
    private static HourlyUsage oneHour(float cores) {
        HourlyUsage.Builder u = usage(1);
        cpu(u, 0, cores, 10, cores, cores, cores, cores, cores);
        return u.build();
    }

    private static float[] knots(HourlyUsage u, int slot) {
        float[] k = new float[HourlyUsage.CPU_LEVELS.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = u.cpuQuantiles()[i][slot];
        }
        return k;
    }
}
