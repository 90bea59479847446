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
            // The one check that the server runs the learned model (RefresherTest uses a fake).
            assertEquals("presize-tribuo-cart", snapshot.get("shop", "web.statefulset").orElseThrow().model().name());
        }
    }

    @Test
    void withoutDemoThereIsNoSourceAndNoRefresher(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // Outside the demo the server needs delegated auth to start: a client CA and a Kubernetes
        // API (never called here).
        java.nio.file.Path ca = dir.resolve("ca.crt");
        java.nio.file.Files.writeString(ca, dev.presize.security.TestCertificates.ca("wiring").pem());
        java.nio.file.Path kubeconfig = dir.resolve("kubeconfig");
        java.nio.file.Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:9\n"
                + "users:\n- name: u\n  user: {}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n");
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("presize.demo", "false", "presize.kubeconfig", kubeconfig.toString(),
                "presize.authentication-skip-lookup", "true", "presize.client-ca-file", ca.toString()))) {
            assertFalse(ctx.containsBean(Refresher.class));
            assertEquals(0, ctx.getBean(SnapshotStore.class).current().resourceVersion());
        }
    }
}
