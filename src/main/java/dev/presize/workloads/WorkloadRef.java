package dev.presize.workloads;

/** Identity of a workload: unique per namespace, kind and name. */
public record WorkloadRef(String namespace, WorkloadKind kind, String name) {

    @Override
    public String toString() {
        return namespace + "/" + kind.kind() + "/" + name;
    }
}
