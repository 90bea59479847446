package dev.presize.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the current refresh has got with the hours it must fetch, in chunks of (namespace, up to
 * a day): read by {@code /metrics} at any time from another thread, and logged a line per tenth
 * during a fill (a refresh that must fetch more than one chunk for some namespace: the first after a
 * start, or after an outage longer than a day), so an operator watching a restart sees it move.
 */
public final class FillProgress {

    private static final Logger LOG = LoggerFactory.getLogger(FillProgress.class);

    private volatile long total;
    private volatile long done;
    private volatile boolean filling;
    private volatile long fillsCompleted;
    private long started;
    private int loggedTenths;

    /** A refresh starts that must fetch {@code chunks} chunks; {@code fill}: log its progress. */
    synchronized void begin(long chunks, boolean fill, int namespaces) {
        total = chunks;
        done = 0;
        filling = fill;
        loggedTenths = 0;
        started = System.nanoTime();
        if (fill) {
            LOG.info("Filling the usage history: {} chunks (namespace x day) to fetch for {} namespaces", chunks, namespaces);
        }
    }

    /** One more chunk fetched. */
    synchronized void chunkDone() {
        done++;
        if (filling && total > 0) {
            int tenths = (int) (done * 10 / total);
            if (tenths > loggedTenths) {
                loggedTenths = tenths;
                LOG.info("Usage history fill: {} % ({} of {} chunks) after {} s", tenths * 10, done, total,
                        (System.nanoTime() - started) / 1_000_000_000);
            }
        }
    }

    /** The refresh's fetching is over (all chunks, or it failed). */
    synchronized void end(boolean complete) {
        if (filling && complete) {
            fillsCompleted++;
            LOG.info("Usage history filled: {} chunks in {} s", total, (System.nanoTime() - started) / 1_000_000_000);
        }
        filling = false;
    }

    /** Chunks the current (or last) refresh had to fetch. */
    public long total() {
        return total;
    }

    /** Chunks fetched so far by the current (or last) refresh. */
    public long done() {
        return done;
    }

    /** Fetched share of the current (or last) refresh's chunks; 1 when there was nothing to fetch. */
    public double ratio() {
        long t = total;
        return t == 0 ? 1.0 : Math.min(1.0, (double) done / t);
    }

    /** Whether a fill is running now. */
    public boolean filling() {
        return filling;
    }

    /** Fills that ran to the end since the start. */
    public long fillsCompleted() {
        return fillsCompleted;
    }
}
