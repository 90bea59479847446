package dev.presize;

import dev.presize.security.tls.TlsConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
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
    void startupMessagesAreOneActionableLine() {
        RuntimeException wrapped = new RuntimeException("Error starting",
                new IllegalStateException("outer", new TlsConfigurationException("--tls-cert-file=/x: no such file")));
        assertEquals("--tls-cert-file=/x: no such file", Main.startupMessage(wrapped));
        RuntimeException injection = new RuntimeException("Failed to inject value\n\nMessage: Failed to inject\n\n"
                + "Message: Unable to convert value [x] to target type [Duration]\nPath Taken: a -> b");
        assertEquals("Unable to convert value [x] to target type [Duration]", Main.startupMessage(injection));
    }
}
