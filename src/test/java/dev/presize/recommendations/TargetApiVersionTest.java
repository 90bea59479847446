package dev.presize.recommendations;

import dev.presize.model.Recommendation;
import dev.presize.model.Resources;
import dev.presize.v1beta1.Requests;
import dev.presize.workloads.ContainerSpec;
import dev.presize.workloads.Workload;
import dev.presize.workloads.WorkloadKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code target.apiVersion} is the version the cluster serves the workload at (issue 13: CronJobs on Kubernetes 1.20). */
class TargetApiVersionTest {

    @Test
    void aCronJobListedAtBatchV1beta1IsTargetedThere() {
        Instant at = Instant.parse("2026-11-21T10:00:00Z");
        Workload onOldCluster = new Workload("data", WorkloadKind.CRON_JOB, "etl", Map.of(), at, List.of(new ContainerSpec("etl", null, null)),
                "batch/v1beta1");
        Workload current = new Workload("data", WorkloadKind.CRON_JOB, "etl2", Map.of(), at, List.of(new ContainerSpec("etl", null, null)));
        Resources r = new Resources(0.5, 1e9);
        Map<dev.presize.history.SeriesKey, Recommendation> recommendations = Map.of(
                RecommendationBuilder.key(onOldCluster, "etl"), new Recommendation(r, r, r, 0.9, 100),
                RecommendationBuilder.key(current, "etl"), new Recommendation(r, r, r, 0.9, 100));
        List<Requests> built = new RecommendationBuilder("m").build(List.of(onOldCluster, current), recommendations, at, at, Duration.ofHours(1));
        assertEquals(List.of("batch/v1beta1", "batch/v1"), built.stream().map(o -> o.target().apiVersion()).toList());
    }
}
