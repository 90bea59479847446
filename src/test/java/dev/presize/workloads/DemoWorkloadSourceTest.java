package dev.presize.workloads;

import dev.presize.history.TraceHistorySource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoWorkloadSourceTest {

    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void readsTheDemoTableWithRequestsFromTheTrace() {
        TraceHistorySource trace = new TraceHistorySource();
        List<Workload> workloads = new DemoWorkloadSource(trace).workloads(AT);
        assertEquals(21, workloads.size());
        Set<WorkloadKind> kinds = EnumSet.noneOf(WorkloadKind.class);
        workloads.forEach(w -> kinds.add(w.kind()));
        assertEquals(EnumSet.allOf(WorkloadKind.class), kinds, "every kind is shown");
        assertEquals(Set.of("shop", "payments", "data", "platform"),
                Set.copyOf(workloads.stream().map(Workload::namespace).toList()));

        Workload api = workloads.stream().filter(w -> w.name().equals("api")).findFirst().orElseThrow();
        assertEquals(List.of("app", "envoy", "log-shipper"), api.containers().stream().map(ContainerSpec::name).toList());
        assertEquals(Map.of("app", "payments-api", "team", "payments"), api.labels());
        // vm-421 was provisioned with 8 cores and 16 GiB.
        assertEquals(new ContainerSpec("app", 8.0, 17179869184.0), api.containers().get(0));

        for (Workload w : workloads) {
            assertEquals(trace.replayStart(AT), w.creationTimestamp());
            assertTrue(w.creationTimestamp().isBefore(AT.minus(java.time.Duration.ofDays(15))));
            for (ContainerSpec c : w.containers()) {
                assertTrue(c.cpuRequestCores() != null && c.memoryRequestBytes() != null, w.ref() + " " + c);
            }
        }
        assertEquals(2, workloads.stream().filter(w -> w.namespace().equals("shop") && w.name().equals("web")).count());
        Workload debug = workloads.stream().filter(w -> w.name().equals("debug-shell")).findFirst().orElseThrow();
        assertEquals(Map.of(), debug.labels());
    }
}
