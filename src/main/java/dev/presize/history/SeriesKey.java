package dev.presize.history;

/** Identity of one container series: namespace, workload (top-level owner name) and container. */
public record SeriesKey(String namespace, String workload, String container) {

    @Override
    public String toString() {
        return namespace + "/" + workload + "/" + container;
    }
}
