package dev.presize.recommendations;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo beans wire up from properties alone, and the startup refresh fills the store synchronously. */
class DemoWiringTest {

    @Test
    void demoModeHasDataWhenStartupCompletes() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "presize.demo", "true", "presize.bind-address", "127.0.0.1",
                "presize.refresh-interval", "15m", "presize.history", "336h"))) {
            assertTrue(ctx.getBean(Refresher.class).hasSnapshot());
            Snapshot snapshot = ctx.getBean(SnapshotStore.class).current();
            assertEquals(21, snapshot.size());
            assertTrue(snapshot.resourceVersion() > 0);
            assertEquals("336h0m0s", snapshot.list(null).get(0).window());
        }
    }

    @Test
    void withoutDemoThereIsNoSourceAndNoRefresher() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("presize.demo", "false"))) {
            assertFalse(ctx.containsBean(Refresher.class));
            assertEquals(0, ctx.getBean(SnapshotStore.class).current().resourceVersion());
        }
    }
}
