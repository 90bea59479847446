package dev.presize.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Heap occupancy from GC notifications: the largest before a collection and after one. */
final class HeapWatch {
    private final Set<String> heapPools;
    private volatile long peakUsed;
    private volatile long peakAfterGc;
    private volatile int collections;

    private HeapWatch(Set<String> heapPools) {
        this.heapPools = heapPools;
    }

    static HeapWatch install() {
        Set<String> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        HeapWatch watch = new HeapWatch(pools);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    watch.record(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()));
                }
            }, null, null);
        }
        return watch;
    }

    long peakUsed() {
        return peakUsed;
    }

    long peakAfterGc() {
        return peakAfterGc;
    }

    int collections() {
        return collections;
    }

    synchronized void reset() {
        peakUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        peakAfterGc = 0;
        collections = 0;
    }

    synchronized void sampleNow() {
        peakUsed = Math.max(peakUsed, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }

    private synchronized void record(GarbageCollectionNotificationInfo info) {
        peakUsed = Math.max(peakUsed, sum(info.getGcInfo().getMemoryUsageBeforeGc()));
        peakAfterGc = Math.max(peakAfterGc, sum(info.getGcInfo().getMemoryUsageAfterGc()));
        collections++;
    }

    private long sum(Map<String, MemoryUsage> usage) {
        long total = 0;
        for (Map.Entry<String, MemoryUsage> e : usage.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                total += e.getValue().getUsed();
            }
        }
        return total;
    }
}
