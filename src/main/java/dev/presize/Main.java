package dev.presize;


import dev.presize.api.watch.WatchHub;
import dev.presize.server.filters.ShutdownCheck;
import dev.presize.kubernetes.KubernetesConfigurationException;
import dev.presize.security.SecurityConfigurationException;
import dev.presize.security.tls.TlsConfigurationException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.presize.backtest.BacktestCommand;
import dev.presize.backtest.ExportCommand;
import dev.presize.config.ConfigException;
import dev.presize.config.Flag;
import dev.presize.config.FlagTable;
import dev.presize.config.Given;
import dev.presize.config.ServerFlags;
import java.net.BindException;
import java.util.Arrays;
import org.slf4j.bridge.SLF4JBridgeHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Entry point: parses flags (failing fast on mistakes), then starts the application context and
 * the HTTPS server. Startup failures are reported as one line a person can act on, not a trace:
 * a bad setting, wherever it came from, with exit code 2 (dev.presize.config checks them all when
 * the context starts), anything else with exit code 1.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        List<String> argList = Arrays.asList(args);
        // Tribuo logs through java.util.logging; route it to logback like everything else.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        if (!argList.isEmpty() && argList.get(0).equals("backtest")) {
            System.exit(BacktestCommand.run(argList.subList(1, argList.size()), System.out, System.err));
            return;
        }
        if (!argList.isEmpty() && argList.get(0).equals("export")) {
            System.exit(ExportCommand.run(argList.subList(1, argList.size()), System.out, System.err));
            return;
        }
        if (FlagTable.wantsHelp(argList)) {
            System.out.print(ServerFlags.TABLE.help());
            return;
        }
        ApplicationContext context = null;
        try {
            context = start(argList, System.getenv());
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            if (!server.isRunning()) {
                server.start();
            }
            LOG.info("Serving presize.dev/v1beta1 at {}", server.getURL());
            ApplicationContext running = context;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running), "presize-shutdown"));
        } catch (RuntimeException e) {
            Optional<ConfigException> badSetting = ConfigException.find(e);
            System.err.println("presize: " + badSetting.map(Throwable::getMessage)
                    .or(() -> cause(e, BindException.class).map(bind -> portInUse(argList, System.getenv(), bind)))
                    .orElseGet(() -> "cannot start: " + startupMessage(e)));
            if (context != null && context.isRunning()) {
                context.close();
            }
            System.exit(badSetting.isPresent() ? 2 : 1);
        }
    }

    /**
     * Parses the flags and starts the application context, which checks every setting (flags,
     * environment, application.yml) before a bean uses one.
     *
     * @throws ConfigException (possibly wrapped by Micronaut) for a bad flag or setting
     */
    static ApplicationContext start(List<String> args, Map<String, String> env) {
        Map<String, Object> properties = properties(ServerFlags.TABLE.parse(args));
        applyDemoDefaults(properties, env);
        return ApplicationContext.builder(Main.class).properties(properties).start();
    }

    /**
     * The listener could not bind: names the address and port and the flags that set them, where
     * the JDK's BindException says only "Address already in use". Taken from the flags, then the
     * environment, then the defaults (and --demo's loopback), as the server resolved them; a value
     * set only in application.yml is not seen here, which the flag names still point to.
     */
    static String portInUse(List<String> args, Map<String, String> env, BindException bind) {
        Map<String, Object> properties = properties(ServerFlags.TABLE.parse(args));
        applyDemoDefaults(properties, env);
        String address = setting(properties, env, ServerFlags.BIND_ADDRESS);
        String port = setting(properties, env, ServerFlags.SECURE_PORT);
        String reason = bind.getMessage() == null ? "address in use" : bind.getMessage().toLowerCase(java.util.Locale.ROOT);
        return "cannot listen on " + address + ":" + port + " (--bind-address, --secure-port): " + reason;
    }

    private static String setting(Map<String, Object> properties, Map<String, String> env, Flag<?> flag) {
        Object given = properties.get(flag.property());
        return given != null ? given.toString() : env.getOrDefault(flag.environmentVariable(), flag.defaultValue());
    }

    /** The flags as Micronaut properties: a repeatable flag's values as a list, others as the string given. */
    static Map<String, Object> properties(Map<Flag<?>, Given> flags) {
        Map<String, Object> properties = new HashMap<>();
        flags.forEach((flag, given) -> properties.put(flag.property(),
                flag.type().repeatable() ? given.values() : String.join(",", given.values())));
        return properties;
    }

    /**
     * SIGTERM, as kube-apiserver handles it: /readyz fails at once and the server keeps serving for
     * {@code --shutdown-delay-duration}; then every watch ends, and closing the context runs
     * Micronaut's graceful shutdown (no new connections, requests in flight finished within
     * {@code --request-timeout}) before the beans stop. Watches end before the HTTP/2 GOAWAY goes
     * out, so even a client that fails its open streams on GOAWAY (JDK 17's HttpClient) sees them
     * end cleanly.
     */
    public static void stop(ApplicationContext context) {
        ShutdownCheck shutdown = context.findBean(ShutdownCheck.class).orElse(null);
        if (shutdown != null) {
            shutdown.begin();
            try {
                Thread.sleep(shutdown.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        context.findBean(WatchHub.class).ifPresent(WatchHub::endAll);
        context.close();
    }

    /**
     * The demo runs without authentication, so unless told otherwise it binds to loopback; an
     * explicit non-loopback --bind-address is refused later by DemoModeGuard.
     */
    static void applyDemoDefaults(Map<String, Object> properties, Map<String, String> env) {
        boolean demo = "true".equals(properties.get("presize.demo"))
                || (!properties.containsKey("presize.demo") && "true".equalsIgnoreCase(env.getOrDefault("PRESIZE_DEMO", "")));
        if (demo && !properties.containsKey("presize.bind-address") && !env.containsKey("PRESIZE_BIND_ADDRESS")) {
            properties.put("presize.bind-address", "127.0.0.1");
        }
    }

    /** The one line shown when startup fails: the message of a known configuration error, else the root cause's first line. */
    public static String startupMessage(Throwable e) {
        Optional<String> known = TlsConfigurationException.find(e).map(Throwable::getMessage)
                .or(() -> SecurityConfigurationException.find(e).map(Throwable::getMessage))
                .or(() -> cause(e, KubernetesConfigurationException.class).map(Throwable::getMessage));
        return known.orElseGet(() -> {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            // Micronaut's injection errors repeat the cause as "Message: ..." lines followed by the
            // injection path; the last such line is the one that names the bad value.
            int at = message.lastIndexOf("\nMessage: ");
            if (at >= 0) {
                message = message.substring(at + "\nMessage: ".length());
            }
            int end = message.indexOf('\n');
            return end >= 0 ? message.substring(0, end) : message;
        });
    }

    /** The first {@code type} in {@code e}'s cause chain (Micronaut wraps what a bean's constructor throws). */
    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
        }
        return Optional.empty();
    }
}
