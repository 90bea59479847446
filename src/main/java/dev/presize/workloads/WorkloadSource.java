package dev.presize.workloads;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Where the workloads to recommend for come from (the demo table now; the Kubernetes API later). */
public interface WorkloadSource {

    /**
     * The workloads as of {@code at}, the refresh instant. A live cluster source lists what exists
     * now; the demo derives everything from {@code at}, so every replica sees the same workloads.
     */
    List<Workload> workloads(Instant at) throws IOException;
}
