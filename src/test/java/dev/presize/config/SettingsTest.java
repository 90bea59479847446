package dev.presize.config;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.EnvironmentPropertySource;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.SystemPropertiesPropertySource;
import io.micronaut.runtime.graceful.GracefulShutdownConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The settings as the application context resolves them: the flag table's defaults below
 * application.yml, the environment above it, {@code -D} above that and the flags on top, each bad
 * value reported in one line that names where it came from. The environment and system properties
 * are given as property sources with Micronaut's own names and orders, so nothing global is touched.
 */
class SettingsTest {

    private static Values settings(Consumer<ApplicationContextBuilder> setup) {
        ApplicationContextBuilder builder = ApplicationContext.builder().environmentPropertySource(false);
        setup.accept(builder);
        try (ApplicationContext context = builder.build()) {
            context.getEnvironment().start();
            return new Settings(context.getEnvironment()).values();
        }
    }

    private static PropertySource env(Map<String, Object> vars) {
        return PropertySource.of(EnvironmentPropertySource.NAME, vars, EnvironmentPropertySource.POSITION);
    }

    private static PropertySource system(Map<String, Object> props) {
        return PropertySource.of(SystemPropertiesPropertySource.NAME, props, SystemPropertiesPropertySource.POSITION);
    }

    @Test
    void withNothingSetEveryDefaultComesFromTheTable() {
        Values v = settings(b -> { });
        for (Flag<?> f : ServerFlags.TABLE.flags()) {
            assertEquals(f.parsedDefault(), v.get(f), f.name());
        }
        assertEquals(8443, v.get(ServerFlags.SECURE_PORT));
    }

    @Test
    void aFlagWinsOverDashDWhichWinsOverTheEnvironmentWhichWinsOverApplicationYml() {
        assertEquals(9000, settings(b -> b.environments("goodyml")).get(ServerFlags.SECURE_PORT));
        assertEquals(9001, settings(b -> b.environments("goodyml").propertySources(env(Map.of("PRESIZE_SECURE_PORT", "9001"))))
                .get(ServerFlags.SECURE_PORT));
        assertEquals(9002, settings(b -> b.environments("goodyml").propertySources(env(Map.of("PRESIZE_SECURE_PORT", "9001")),
                system(Map.of("presize.secure-port", "9002")))).get(ServerFlags.SECURE_PORT));
        assertEquals(9003, settings(b -> b.environments("goodyml").propertySources(env(Map.of("PRESIZE_SECURE_PORT", "9001")),
                system(Map.of("presize.secure-port", "9002"))).properties(Map.of("presize.secure-port", "9003")))
                .get(ServerFlags.SECURE_PORT));
    }

    @Test
    void yamlValuesAreReadWithTheFlagsTypes() {
        Values v = settings(b -> b.environments("goodyml"));
        assertEquals(Duration.ofMinutes(90), v.get(ServerFlags.REFRESH_INTERVAL), "Go's syntax, which Micronaut does not read");
        assertEquals(List.of("/healthz", "/livez"), v.get(ServerFlags.AUTHORIZATION_ALWAYS_ALLOW_PATHS));
        assertEquals(List.of("X-A=1,2", "X-B=3"), v.get(ServerFlags.PROMETHEUS_HEADER), "a YAML list item keeps its commas");
    }

    @Test
    void environmentListsAreCommaSeparated() {
        Values v = settings(b -> b.propertySources(env(Map.of("PRESIZE_PROMETHEUS_HEADER", "X-A=1,X-B=2",
                "PRESIZE_REQUESTHEADER_GROUP_HEADERS", "x-remote-group, x-group", "PRESIZE_DEMO", "true"))));
        assertEquals(List.of("X-A=1", "X-B=2"), v.get(ServerFlags.PROMETHEUS_HEADER));
        assertEquals(List.of("x-remote-group", "x-group"), v.get(ServerFlags.REQUESTHEADER_GROUP_HEADERS));
        assertEquals(true, v.get(ServerFlags.DEMO));
    }

    @Test
    void aBadValueIsNamedAsItWasWrittenWhereverItCameFrom() {
        assertEquals("PRESIZE_SECURE_PORT=99999: must be a port number from 1 to 65535", assertThrows(ConfigException.class,
                () -> settings(b -> b.propertySources(env(Map.of("PRESIZE_SECURE_PORT", "99999"))))).getMessage());
        assertEquals("PRESIZE_REFRESH_INTERVAL=banana: must be a duration such as 15m, 336h or 1h30m",
                assertThrows(ConfigException.class, () -> settings(b -> b.propertySources(
                        env(Map.of("PRESIZE_REFRESH_INTERVAL", "banana"))))).getMessage());
        assertEquals("-Dpresize.cpu-target-risk=5: must be a fraction between 0 and 1 (exclusive), e.g. 0.05",
                assertThrows(ConfigException.class, () -> settings(b -> b.propertySources(
                        system(Map.of("presize.cpu-target-risk", "5"))))).getMessage());
        assertEquals("--secure-port=0: must be a port number from 1 to 65535", assertThrows(ConfigException.class,
                () -> settings(b -> b.properties(Map.of("presize.secure-port", "0")))).getMessage());
        String yml = assertThrows(ConfigException.class, () -> settings(b -> b.environments("badport"))).getMessage();
        assertEquals("presize.secure-port=99999 (application-badport.yml): must be a port number from 1 to 65535", yml);
    }

    @Test
    void theShutdownGracePeriodIsTheRequestTimeoutInGoSyntax() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("presize.demo", "true", "presize.bind-address", "127.0.0.1",
                "presize.request-timeout", "1h30m"))) {
            assertEquals(Duration.ofMinutes(90), context.getBean(GracefulShutdownConfiguration.class).getGracePeriod());
            assertEquals(Duration.ofMinutes(90), context.getBean(ProtectionSettings.class).requestTimeout());
        }
    }

    @Test
    void theWinningSourceIsTheOneChecked() {
        // A bad environment variable under a good flag does not stop the server: the flag is what counts.
        assertEquals(9443, settings(b -> b.propertySources(env(Map.of("PRESIZE_SECURE_PORT", "99999")))
                .properties(Map.of("presize.secure-port", "9443"))).get(ServerFlags.SECURE_PORT));
    }
}
