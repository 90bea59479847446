package dev.presize.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagTableTest {

    private static final FlagTable SERVER = ServerFlags.TABLE;

    private static Map<String, List<String>> given(String... args) {
        return SERVER.parse(List.of(args)).entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), e -> e.getValue().values()));
    }

    @Test
    void everyFormOfAFlagIsRead() {
        assertEquals(Map.of("secure-port", List.of("9443"), "cert-dir", List.of("/tmp/c"), "demo", List.of("true"),
                        "refresh-interval", List.of("1h30m"), "tls-sans", List.of("a.svc", "b.svc")),
                given("--secure-port=9443", "--cert-dir", "/tmp/c", "--demo", "--refresh-interval=1h30m", "--tls-sans=a.svc,b.svc"));
        assertEquals(Map.of("demo", List.of("false")), given("--demo=false"));
        Values v = SERVER.values(List.of("--secure-port=9443", "--refresh-interval=1h30m", "--cert-dir", "/tmp/c"));
        assertEquals(9443, v.get(ServerFlags.SECURE_PORT));
        assertEquals(Duration.ofMinutes(90), v.get(ServerFlags.REFRESH_INTERVAL));
        assertEquals(Path.of("/tmp/c"), v.get(ServerFlags.CERT_DIR));
        assertEquals(Duration.ofHours(336), v.get(ServerFlags.HISTORY), "the default");
        assertEquals(Optional.empty(), v.get(ServerFlags.TLS_CERT_FILE), "an empty default is not set");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--nope=1|unknown flag: --nope",
            "--secure-port|flag needs a value: --secure-port",
            "secure-port=1|unexpected argument \"secure-port=1\"",
            "--demo=yes|--demo=yes: must be true or false",
            "--secure-port=0|--secure-port=0: must be a port number from 1 to 65535",
            "--secure-port=99999|--secure-port=99999: must be a port number from 1 to 65535",
            "--secure-port=https|--secure-port=https: must be a port number from 1 to 65535",
            "--history=banana|--history=banana: must be whole hours, at least 1h (e.g. 336h)",
            "--history=90m|--history=90m: must be whole hours, at least 1h (e.g. 336h)",
            "--refresh-interval=15|--refresh-interval=15: must be a duration such as 15m, 336h or 1h30m",
            "--refresh-interval=0s|--refresh-interval=0s: must be a positive duration (e.g. 15m, 336h or 1h30m)",
            "--refresh-interval=-5m|--refresh-interval=-5m: must be a positive duration (e.g. 15m, 336h or 1h30m)",
            "--prometheus-header=X-Scope-OrgID|--prometheus-header=X-Scope-OrgID: must be name=value, got \"X-Scope-OrgID\"",
            "--prometheus-header==tenant|--prometheus-header==tenant: must be name=value, got \"=tenant\"",
            "--prometheus-header=Host=p|--prometheus-header=Host=p: \"Host\" cannot be set as a header",
            "--prometheus-header=X Y=1|--prometheus-header=X Y=1: \"X Y\" cannot be set as a header",
            "--prometheus-timeout=soon|--prometheus-timeout=soon: must be a duration such as 15m, 336h or 1h30m",
            "--prometheus-url=prometheus:9090|--prometheus-url=prometheus:9090: must be an http or https URL without query or fragment, e.g. http://prometheus.monitoring:9090",
            "--prometheus-insecure-skip-verify=1|--prometheus-insecure-skip-verify=1: must be true or false",
            "--max-requests-inflight=-1|--max-requests-inflight=-1: must be a whole number from 0",
            "--max-requests-inflight=many|--max-requests-inflight=many: must be a whole number from 0",
            "--min-request-timeout=30m|--min-request-timeout=30m: must be a whole number from 0",
            "--request-timeout=0s|--request-timeout=0s: must be a positive duration (e.g. 15m, 336h or 1h30m)",
            "--shutdown-delay-duration=-1s|--shutdown-delay-duration=-1s: must not be a negative duration",
            "--cpu-target-risk=0|--cpu-target-risk=0: must be a fraction between 0 and 1 (exclusive), e.g. 0.05",
            "--memory-target-risk=1|--memory-target-risk=1: must be a fraction between 0 and 1 (exclusive), e.g. 0.05",
            "--cpu-target-risk=x|--cpu-target-risk=x: must be a fraction between 0 and 1 (exclusive), e.g. 0.05",
            "--cpu-target-unmet=1|--cpu-target-unmet=1: must be a fraction between 0 and 1 (exclusive), e.g. 0.05",
            "--cpu-target-unmet=NaN|--cpu-target-unmet=NaN: must be a fraction between 0 and 1 (exclusive), e.g. 0.05",
            "--retrain-interval=0s|--retrain-interval=0s: must be a positive duration (e.g. 15m, 336h or 1h30m)",
            "--cert-dir=|--cert-dir=: must be a path",
    })
    void mistakesAreOneLineNamingTheFlagAsWritten(String arg, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> SERVER.parse(List.of(arg)));
        assertEquals(message, e.getMessage());
        assertEquals(0, e.getStackTrace().length, "reported, never printed as a trace");
    }

    @Test
    void theSpaceFormIsQuotedAsTheEqualsForm() {
        assertEquals("--secure-port=99999: must be a port number from 1 to 65535",
                assertThrows(ConfigException.class, () -> SERVER.parse(List.of("--secure-port", "99999"))).getMessage());
    }

    @Test
    void durationsTakeGoSyntaxAndIso() {
        assertEquals(Duration.ofMinutes(90), SERVER.values(List.of("--request-timeout=1h30m")).get(ServerFlags.REQUEST_TIMEOUT));
        assertEquals(Duration.ofMinutes(90), SERVER.values(List.of("--request-timeout=PT1H30M")).get(ServerFlags.REQUEST_TIMEOUT));
        assertEquals(Duration.ZERO, SERVER.values(List.of("--shutdown-delay-duration=0")).get(ServerFlags.SHUTDOWN_DELAY_DURATION));
    }

    @Test
    void protectionFlags() {
        Values v = SERVER.values(List.of("--max-requests-inflight=0", "--request-timeout=1m30s", "--min-request-timeout=1800",
                "--shutdown-delay-duration=0s"));
        assertEquals(new ProtectionSettings(0, Duration.ofSeconds(90), Duration.ofSeconds(1800), 1000, Duration.ZERO),
                ProtectionSettings.from(v), "0 means no limit, and no shutdown delay");
    }

    @Test
    void aFlagGivenTwiceIsAnError() {
        assertEquals("flag given twice: --cert-dir",
                assertThrows(ConfigException.class, () -> SERVER.parse(List.of("--cert-dir=a", "--cert-dir=b"))).getMessage());
    }

    @Test
    void aRepeatableFlagCollectsItsValuesInOrder() {
        Values v = SERVER.values(List.of("--prometheus-header=X-Scope-OrgID=tenant-a", "--prometheus-url=http://prom:9090",
                "--prometheus-header", "X-Extra=a=b,c"));
        assertEquals(List.of("X-Scope-OrgID=tenant-a", "X-Extra=a=b,c"), v.get(ServerFlags.PROMETHEUS_HEADER),
                "a header value keeps its commas");
        assertEquals(Optional.of(java.net.URI.create("http://prom:9090")), v.get(ServerFlags.PROMETHEUS_URL));
    }

    @Test
    void aListFlagAddsUpWhenRepeated() {
        assertEquals(List.of("front-proxy-client", "aggregator"), SERVER.values(List.of("--requestheader-allowed-names=front-proxy-client",
                "--requestheader-allowed-names", "aggregator")).get(ServerFlags.REQUESTHEADER_ALLOWED_NAMES));
        assertEquals(List.of("/healthz"), SERVER.values(List.of("--authorization-always-allow-paths=/healthz"))
                .get(ServerFlags.AUTHORIZATION_ALWAYS_ALLOW_PATHS));
        assertEquals(List.of("/healthz", "/readyz", "/livez"), SERVER.values(List.of()).get(ServerFlags.AUTHORIZATION_ALWAYS_ALLOW_PATHS));
    }

    @Test
    void everyDefaultIsAValidValueOfItsType() {
        for (FlagTable table : List.of(ServerFlags.TABLE, BacktestFlags.TABLE, ExportFlags.TABLE)) {
            for (Flag<?> f : table.flags()) {
                f.parsedDefault();
            }
        }
    }

    @Test
    void namesAreUniqueAndTheSharedFlagsAreTheSameFlags() {
        for (FlagTable table : List.of(ServerFlags.TABLE, BacktestFlags.TABLE, ExportFlags.TABLE)) {
            assertEquals(table.flags().size(), table.flags().stream().map(Flag::name).distinct().count());
        }
        for (Flag<?> b : java.util.stream.Stream.concat(BacktestFlags.TABLE.flags().stream(), ExportFlags.TABLE.flags().stream()).toList()) {
            SERVER.find(b.name()).ifPresent(s -> {
                assertEquals(s.type().name(), b.type().name(), b.name() + " has the server's type");
                assertEquals(s.defaultValue(), b.defaultValue(), b.name() + " has the server's default");
            });
        }
        assertTrue(BacktestFlags.TABLE.flags().contains(ServerFlags.CPU_TARGET_RISK));
        assertTrue(BacktestFlags.TABLE.flags().contains(ServerFlags.MEMORY_TARGET_RISK));
        assertTrue(BacktestFlags.TABLE.flags().contains(ServerFlags.CPU_TARGET_UNMET));
        for (Flag<?> f : ServerFlags.TABLE.flags()) {
            if (f.name().startsWith("prometheus-")) {
                assertTrue(ExportFlags.TABLE.flags().contains(f), "export reaches Prometheus as the server does: --" + f.name());
            }
        }
    }

    @Test
    void helpListsEveryFlagWithItsTypeAndDefaultInAlignedColumns() {
        for (FlagTable table : List.of(ServerFlags.TABLE, BacktestFlags.TABLE, ExportFlags.TABLE)) {
            String help = table.help();
            List<String> flagLines = help.lines().filter(l -> l.startsWith("  --")).toList();
            assertEquals(table.flags().size(), flagLines.size());
            int column = flagLines.stream().mapToInt(l -> firstNonSpace(l, l.indexOf("  ", 2))).max().orElseThrow();
            String flagsPart = help.substring(help.indexOf("Flags:\n") + 7, table.trailer().isEmpty() ? help.length()
                    : help.indexOf(table.trailer()));
            for (String line : flagsPart.lines().filter(l -> !l.isBlank()).toList()) {
                assertEquals(column, firstNonSpace(line, line.startsWith("  --") ? line.indexOf("  ", 2) : 0),
                        "every description line starts in the same column: " + line);
                assertTrue(line.length() <= 120, "wrapped: " + line);
            }
            String words = flagsPart.replaceAll("\\s+", " ");
            for (Flag<?> f : table.flags()) {
                assertTrue(words.contains("--" + f.name() + (f.type() == Type.BOOL ? " " : " " + f.type().name() + " ")), f.name());
                assertTrue(words.contains(f.help().replaceAll("\\s+", " ")), f.name());
                if (!f.defaultValue().isEmpty()) {
                    assertTrue(words.contains(f.help() + " (default " + f.defaultValue() + ")"), f.name());
                }
            }
            assertFalse(help.contains(" string "), "no flag shows as string");
        }
        String help = SERVER.help();
        assertTrue(help.contains("backtest"), "the subcommand is listed");
        assertTrue(help.contains("\n  export "), "the subcommand is listed");
        assertTrue(help.contains("--history duration "), help);
        assertTrue(help.contains("--cpu-target-risk fraction "), help);
        assertTrue(help.contains("--tls-cert-file path "), help);
        assertTrue(help.contains("--tls-sans list "), help);
        assertTrue(help.contains("--max-requests-inflight number "), help);
        assertTrue(help.contains("--demo "), help);
    }

    private static int firstNonSpace(String line, int from) {
        int i = from;
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    @Test
    void environmentVariablesAreNamedAfterTheFlag() {
        assertEquals("PRESIZE_SECURE_PORT", ServerFlags.SECURE_PORT.environmentVariable());
        assertEquals("presize.secure-port", ServerFlags.SECURE_PORT.property());
        assertEquals("PRESIZE_AUTHORIZATION_WEBHOOK_CACHE_UNAUTHORIZED_TTL",
                ServerFlags.AUTHORIZATION_WEBHOOK_CACHE_UNAUTHORIZED_TTL.environmentVariable());
    }
}
