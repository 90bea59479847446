package dev.presize;

import dev.presize.config.ServerFlags;
import dev.presize.security.tls.TlsConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class MainTest {

    @Test
    void demoBindsToLoopbackUnlessTheOperatorSaidOtherwise() {
        Map<String, Object> flags = new HashMap<>(Map.of("presize.demo", "true"));
        Main.applyDemoDefaults(flags, Map.of());
        assertEquals("127.0.0.1", flags.get("presize.bind-address"));

        Map<String, Object> fromEnv = new HashMap<>();
        Main.applyDemoDefaults(fromEnv, Map.of("PRESIZE_DEMO", "true"));
        assertEquals("127.0.0.1", fromEnv.get("presize.bind-address"));

        Map<String, Object> explicit = new HashMap<>(Map.of("presize.demo", "true", "presize.bind-address", "0.0.0.0"));
        Main.applyDemoDefaults(explicit, Map.of());
        assertEquals("0.0.0.0", explicit.get("presize.bind-address"), "left for DemoModeGuard to refuse");

        Map<String, Object> server = new HashMap<>();
        Main.applyDemoDefaults(server, Map.of());
        assertFalse(server.containsKey("presize.bind-address"));
    }

    @Test
    void flagsBecomeTheContextsPropertiesAsGiven() {
        // Settings reads them back with the same types; a list flag stays a list, so a header value keeps its commas.
        assertEquals(Map.of("presize.secure-port", "9443", "presize.refresh-interval", "1h30m",
                        "presize.prometheus-header", List.of("A=1", "B=2,3"), "presize.tls-sans", List.of("a", "b")),
                Main.properties(ServerFlags.TABLE.parse(List.of("--secure-port", "9443", "--refresh-interval=1h30m",
                        "--prometheus-header=A=1", "--prometheus-header=B=2,3", "--tls-sans=a,b"))));
    }

    @Test
    void startupMessagesAreOneActionableLine() {
        RuntimeException wrapped = new RuntimeException("Error starting",
                new IllegalStateException("outer", new TlsConfigurationException("--tls-cert-file=/x: no such file")));
        assertEquals("--tls-cert-file=/x: no such file", Main.startupMessage(wrapped));
        RuntimeException injection = new RuntimeException("Failed to inject value\n\nMessage: Failed to inject\n\n"
                + "Message: Unable to convert value [x] to target type [Duration]\nPath Taken: a -> b");
        assertEquals("Unable to convert value [x] to target type [Duration]", Main.startupMessage(injection));
    }
}
