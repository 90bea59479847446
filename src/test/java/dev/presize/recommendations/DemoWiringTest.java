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
            assertEquals("presize-tribuo-sgd", snapshot.get("shop", "web.statefulset").orElseThrow().model().name());
        }
    }

    /**
     * Issue 15: the bounds bracket the request and mean something: for every demo container (all of
     * them have usage that varies from hour to hour) the lower bound is below the request and the
     * upper bound above it, for both resources; a bound equal to the request says nothing.
     */
    @Test
    void theDemoBoundsBracketEveryRequestStrictly() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "presize.demo", "true", "presize.bind-address", "127.0.0.1",
                "presize.refresh-interval", "15m", "presize.history", "336h"))) {
            int containers = 0;
            for (dev.presize.v1beta1.Requests r : ctx.getBean(SnapshotStore.class).current().list(null)) {
                for (dev.presize.v1beta1.ContainerRequests c : r.containers()) {
                    String where = r.metadata().namespace() + "/" + r.metadata().name() + "/" + c.name() + ": " + c;
                    assertTrue(cpu(c.lowerBound().cpu()) < cpu(c.requests().cpu()), where);
                    assertTrue(cpu(c.requests().cpu()) < cpu(c.upperBound().cpu()), where);
                    assertTrue(bytes(c.lowerBound().memory()) < bytes(c.requests().memory()), where);
                    assertTrue(bytes(c.requests().memory()) < bytes(c.upperBound().memory()), where);
                    containers++;
                }
            }
            assertEquals(31, containers, "every demo container was checked");
        }
    }

    private static double cpu(String q) {
        return q.endsWith("m") ? Double.parseDouble(q.substring(0, q.length() - 1)) / 1000 : Double.parseDouble(q);
    }

    private static double bytes(String q) {
        if (q.endsWith("Gi")) {
            return Double.parseDouble(q.substring(0, q.length() - 2)) * 1024 * 1024 * 1024;
        }
        if (q.endsWith("Mi")) {
            return Double.parseDouble(q.substring(0, q.length() - 2)) * 1024 * 1024;
        }
        return Double.parseDouble(q);
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
