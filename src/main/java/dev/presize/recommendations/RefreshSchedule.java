package dev.presize.recommendations;

import io.micronaut.context.annotation.Requires;
import dev.presize.config.DemoSettings;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

/**
 * Runs the {@link Refresher}: once at startup and then at every refresh grid instant, on the
 * scheduler's thread, never on the request path. The startup refresh is synchronous only in
 * {@code --demo}, whose embedded trace takes seconds, so the demo has data before its first request.
 * In a cluster it is not: {@link StartupEvent} fires before the HTTPS listener binds, and a first
 * refresh of a large cluster fills the usage history and takes minutes (bench/refresh: about 4 min for
 * 10 000 containers; later ones fetch one hour), so
 * a synchronous one would keep discovery and the probes unanswered and get the pod restarted. Ticks are aimed at grid instants rather than at a fixed delay from startup, so
 * replicas started at different times still switch to new content together.
 */
@Singleton
@Requires(beans = Refresher.class)
public class RefreshSchedule implements ApplicationEventListener<StartupEvent> {

    private final Refresher refresher;
    private final TaskScheduler scheduler;
    private volatile ScheduledFuture<?> next;
    private volatile boolean stopped;

    private final boolean demo;

    public RefreshSchedule(Refresher refresher, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler,
                           DemoSettings demo) {
        this.refresher = refresher;
        this.scheduler = scheduler;
        this.demo = demo.enabled();
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        if (demo) {
            refresher.refreshNow();
            scheduleNext();
        } else {
            scheduler.schedule(Duration.ZERO, () -> {
                refresher.refreshNow();
                scheduleNext();
            });
        }
    }

    private void tick() {
        Instant grid = RefreshGrid.floor(refresher.clock().instant(), refresher.interval());
        // A timer may fire a hair before the grid instant; then this grid instant is already done.
        if (refresher.lastRefresh().map(last -> last.isBefore(grid)).orElse(true)) {
            refresher.refresh(grid);
        }
        scheduleNext();
    }

    private synchronized void scheduleNext() {
        if (stopped) {
            return;
        }
        Instant now = refresher.clock().instant();
        Duration delay = Duration.between(now, RefreshGrid.next(now, refresher.interval()));
        next = scheduler.schedule(delay, this::tick);
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}
