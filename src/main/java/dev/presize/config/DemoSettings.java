package dev.presize.config;

import java.nio.file.Path;

/**
 * The embedded demo. Beans that exist only in (or only outside) the demo still select themselves with
 * {@code @Requires(property = "presize.demo", ...)}; this is for code that runs in both.
 *
 * @param kubeconfig where the demo writes a kubeconfig for kubectl
 */
public record DemoSettings(boolean enabled, Path kubeconfig) {

    static DemoSettings from(Values v) {
        return new DemoSettings(v.get(ServerFlags.DEMO), v.get(ServerFlags.DEMO_KUBECONFIG));
    }
}
