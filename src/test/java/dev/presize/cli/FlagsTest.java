package dev.presize.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlagsTest {

    @Test
    void everyFormOfAFlagBecomesAPresizeProperty() {
        Map<String, Object> p = Flags.parse(List.of("--secure-port=9443", "--cert-dir", "/tmp/c", "--demo",
                "--refresh-interval=1h30m", "--tls-sans=a.svc,b.svc"));
        assertEquals(Map.of("presize.secure-port", "9443", "presize.cert-dir", "/tmp/c", "presize.demo", "true",
                "presize.refresh-interval", "PT1H30M", "presize.tls-sans", "a.svc,b.svc"), p);
        assertEquals(Map.of("presize.demo", "false"), Flags.parse(List.of("--demo=false")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--nope=1|unknown flag: --nope",
            "--secure-port|flag needs an argument: --secure-port",
            "secure-port=1|unexpected argument \"secure-port=1\"",
            "--demo=yes|invalid boolean value \"yes\" for --demo",
            "--secure-port=0|--secure-port must be a port number from 1 to 65535, got \"0\"",
            "--secure-port=70000|--secure-port must be a port number from 1 to 65535, got \"70000\"",
            "--secure-port=https|--secure-port must be a port number from 1 to 65535, got \"https\"",
            "--history=banana|--history: invalid duration \"banana\" (use e.g. 15m, 336h or 1h30m)",
            "--history=15|--history: invalid duration \"15\" (use e.g. 15m, 336h or 1h30m)",
            "--refresh-interval=0s|--refresh-interval must be a positive duration, got \"0s\"",
            "--refresh-interval=-5m|--refresh-interval must be a positive duration, got \"-5m\"",
            "--prometheus-header=X-Scope-OrgID|--prometheus-header must be name=value, got \"X-Scope-OrgID\"",
            "--prometheus-header==tenant|--prometheus-header must be name=value, got \"=tenant\"",
            "--prometheus-timeout=soon|--prometheus-timeout: invalid duration \"soon\" (use e.g. 15m, 336h or 1h30m)",
            "--prometheus-insecure-skip-verify=1|invalid boolean value \"1\" for --prometheus-insecure-skip-verify",
            "--max-requests-inflight=-1|--max-requests-inflight must be a whole number from 0, got \"-1\"",
            "--max-requests-inflight=many|--max-requests-inflight must be a whole number from 0, got \"many\"",
            "--min-request-timeout=30m|--min-request-timeout must be a whole number from 0, got \"30m\"",
            "--request-timeout=0s|--request-timeout must be a positive duration, got \"0s\"",
            "--shutdown-delay-duration=-1s|--shutdown-delay-duration must not be negative, got \"-1s\"",
    })
    void mistakesAreReportedWithTheFlagName(String arg, String message) {
        Flags.UsageException e = assertThrows(Flags.UsageException.class, () -> Flags.parse(List.of(arg)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void protectionFlags() {
        assertEquals(Map.of("presize.max-requests-inflight", "0", "presize.request-timeout", "PT1M30S",
                        "presize.min-request-timeout", "1800", "presize.shutdown-delay-duration", "PT0S"),
                Flags.parse(List.of("--max-requests-inflight=0", "--request-timeout=1m30s", "--min-request-timeout=1800",
                        "--shutdown-delay-duration=0s")), "0 means no limit, and no shutdown delay");
    }

    @Test
    void aFlagGivenTwiceIsAnError() {
        assertEquals("flag given twice: --cert-dir", assertThrows(Flags.UsageException.class,
                () -> Flags.parse(List.of("--cert-dir=a", "--cert-dir=b"))).getMessage());
    }

    @Test
    void aRepeatableFlagCollectsItsValuesInOrder() {
        Map<String, Object> p = Flags.parse(List.of("--prometheus-header=X-Scope-OrgID=tenant-a",
                "--prometheus-url=http://prom:9090", "--prometheus-header", "X-Extra=a=b,c"));
        assertEquals(List.of("X-Scope-OrgID=tenant-a", "X-Extra=a=b,c"), p.get("presize.prometheus-header"));
        assertEquals("http://prom:9090", p.get("presize.prometheus-url"));
        assertEquals(List.of("A=1"), Flags.parse(List.of("--prometheus-header=A=1")).get("presize.prometheus-header"));
    }

    @Test
    void prometheusFlagsAreTyped() {
        assertEquals(Map.of("presize.prometheus-timeout", "PT1M30S", "presize.prometheus-insecure-skip-verify", "true"),
                Flags.parse(List.of("--prometheus-timeout=1m30s", "--prometheus-insecure-skip-verify")));
    }

    @Test
        void aListFlagAddsUpWhenRepeated() {
        assertEquals("front-proxy-client,aggregator", Flags.parse(List.of("--requestheader-allowed-names=front-proxy-client",
                "--requestheader-allowed-names", "aggregator")).get("presize.requestheader-allowed-names"));
        assertEquals("/healthz", Flags.parse(List.of("--authorization-always-allow-paths=/healthz")).get("presize.authorization-always-allow-paths"));
        assertEquals("PT5S", Flags.parse(List.of("--authorization-webhook-cache-authorized-ttl=5s"))
                .get("presize.authorization-webhook-cache-authorized-ttl"));
    }

    @Test
    void usageListsEveryFlagWithItsDefault() {
        String usage = Flags.usage();
        for (Flag f : Flags.ALL) {
            assertTrue(usage.contains("--" + f.name()), f.name());
        }
        assertTrue(usage.contains("(default 336h)"));
    }
}
