package dev.presize.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every flag the server accepts, named like metrics-server's where one exists, so operators can
 * carry their muscle memory (and their manifests) over. The single source for parsing and for
 * {@code --help}.
 */
public final class Flags {

    public static final List<Flag> ALL = List.of(
            new Flag("secure-port", "8443", Flag.Type.PORT, "The port on which to serve HTTPS."),
            new Flag("bind-address", "0.0.0.0", Flag.Type.STRING, "The IP address on which to listen (--demo forces 127.0.0.1)."),
            new Flag("tls-cert-file", "", Flag.Type.STRING,
                    "PEM file with the serving certificate (chain). Without it a self-signed CA and certificate are generated into --cert-dir."),
            new Flag("tls-private-key-file", "", Flag.Type.STRING, "PEM file with the private key matching --tls-cert-file (RSA or EC, PKCS#1/SEC1 or PKCS#8)."),
            new Flag("cert-dir", "apiserver.local.config/certificates", Flag.Type.STRING,
                    "Directory for the generated certificates; ignored when --tls-cert-file is given."),
            new Flag("tls-sans", "", Flag.Type.STRING, "Extra DNS names or IPs (comma-separated) for the generated serving certificate."),
            new Flag("tls-reload-interval", "10s", Flag.Type.DURATION,
                    "How often the certificate files are checked for changes (catches Kubernetes Secret symlink swaps)."),
            new Flag("refresh-interval", "15m", Flag.Type.DURATION, "How often recommendations are recomputed, aligned to the epoch."),
            new Flag("history", "336h", Flag.Type.DURATION, "How much usage history each recommendation is computed from (whole hours)."),
            new Flag("retrain-interval", "6h", Flag.Type.DURATION, "How often the model is retrained; refreshes in between reuse it."),
            new Flag("cpu-target-risk", "0.05", Flag.Type.STRING,
                    "Target share of CPU samples above the recommended request, in (0, 1)."),
            new Flag("memory-target-risk", "0.01", Flag.Type.STRING,
                    "Target share of container-days whose memory peak exceeds the recommended request, in (0, 1)."),
            new Flag("max-container-risk-factor", "10", Flag.Type.STRING,
                    "No container's estimated risk above this multiple of the target risk, >= 1; 1 gives every container the target, higher spends the risk where it saves the most capacity."),
            new Flag("prometheus-url", "", Flag.Type.STRING,
                    "Base URL of the Prometheus HTTP API (Prometheus, Thanos, Mimir or VictoriaMetrics), e.g. http://prometheus.monitoring:9090."),
            new Flag("prometheus-bearer-token-file", "", Flag.Type.STRING,
                    "File with a bearer token for Prometheus, re-read on every request (projected tokens rotate)."),
            new Flag("prometheus-ca-file", "", Flag.Type.STRING, "PEM file with the CA certificate(s) that sign Prometheus' serving certificate."),
            new Flag("prometheus-insecure-skip-verify", "false", Flag.Type.BOOL,
                    "Do not verify Prometheus' serving certificate (testing only)."),
            new Flag("prometheus-header", "", Flag.Type.KEY_VALUE,
                    "Extra HTTP header for Prometheus as Name=value, e.g. X-Scope-OrgID=tenant; repeatable."),
            new Flag("prometheus-timeout", "30s", Flag.Type.DURATION, "Timeout of one Prometheus query."),
            new Flag("kubeconfig", "", Flag.Type.STRING,
                    "Kubeconfig file for the Kubernetes API (workload informers, TokenReview, SubjectAccessReview, the authentication ConfigMap); in-cluster service account when empty."),
            new Flag("demo", "false", Flag.Type.BOOL,
                    "Run the embedded demo: shipped usage history, no cluster, no authentication, bound to 127.0.0.1."),
            new Flag("demo-kubeconfig", "presize-demo.kubeconfig", Flag.Type.STRING, "Where --demo writes a kubeconfig for kubectl."),
            // Delegated authentication, named as k8s.io/apiserver's DelegatingAuthenticationOptions.
            new Flag("client-ca-file", "", Flag.Type.STRING,
                    "PEM CA bundle for client certificates (CN user, O groups); overrides client-ca-file of ConfigMap kube-system/extension-apiserver-authentication."),
            new Flag("requestheader-client-ca-file", "", Flag.Type.STRING,
                    "PEM CA bundle for the front proxy's client certificate; when set, all --requestheader-* flags replace the ConfigMap's values."),
            new Flag("requestheader-allowed-names", "", Flag.Type.LIST,
                    "Common names allowed for the front proxy's client certificate; empty allows any name the CA signed."),
            new Flag("requestheader-username-headers", "x-remote-user", Flag.Type.LIST, "Request headers to read the user name from; the first non-empty one wins."),
            new Flag("requestheader-group-headers", "x-remote-group", Flag.Type.LIST, "Request headers to read groups from; all values of all of them are used."),
            new Flag("requestheader-extra-headers-prefix", "x-remote-extra-", Flag.Type.LIST, "Request header prefixes for extra user information."),
            new Flag("authentication-skip-lookup", "false", Flag.Type.BOOL,
                    "Do not read ConfigMap kube-system/extension-apiserver-authentication; then the CA flags above are needed."),
            new Flag("authentication-tolerate-lookup-failure", "false", Flag.Type.BOOL,
                    "Start even if that ConfigMap cannot be read (retried in the background); requests then may be anonymous until it is."),
            new Flag("authentication-token-webhook-cache-ttl", "10s", Flag.Type.DURATION, "How long TokenReview answers (authenticated or not) are cached."),
            new Flag("authentication-token-webhook-timeout", "10s", Flag.Type.DURATION, "How long a TokenReview may take before the token counts as failed (401)."),
            // Delegated authorization, named as k8s.io/apiserver's DelegatingAuthorizationOptions.
            new Flag("authorization-always-allow-paths", "/healthz,/readyz,/livez", Flag.Type.LIST,
                    "Non-resource paths allowed without SubjectAccessReview (a trailing * matches a prefix)."),
            new Flag("authorization-webhook-cache-authorized-ttl", "10s", Flag.Type.DURATION, "How long allowed SubjectAccessReview answers are cached."),
            new Flag("authorization-webhook-cache-unauthorized-ttl", "10s", Flag.Type.DURATION, "How long denied SubjectAccessReview answers are cached."),
            new Flag("authorization-webhook-timeout", "10s", Flag.Type.DURATION,
                    "How long a SubjectAccessReview may take before the request is denied (403)."),
            // Protection, named as kube-apiserver's ServerRunOptions.
            new Flag("max-requests-inflight", "400", Flag.Type.COUNT,
                    "Most requests served at once; more get 429 TooManyRequests with Retry-After. Watches and health probes are not counted; 0 means no limit."),
            new Flag("request-timeout", "60s", Flag.Type.DURATION,
                    "A request still unanswered after this gets 504 Timeout; watches are exempt. Also bounds how long shutdown waits for requests in flight."),
            new Flag("min-request-timeout", "1800", Flag.Type.COUNT,
                    "Seconds: a watch without timeoutSeconds ends after a random time between this and twice this, to spread reconnects."),
            new Flag("shutdown-delay-duration", "0s", Flag.Type.NON_NEGATIVE_DURATION,
                    "After SIGTERM, keep serving this long with /readyz failing, so load balancers stop sending requests, before the listener closes."));

    private Flags() {
    }

    public static Optional<Flag> find(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * Parses {@code --name=value}, {@code --name value} and bare boolean flags into Micronaut
     * properties. Unknown flags and missing values are errors: a typo in a manifest must stop the
     * server at start, not be ignored. A flag given twice is an error too, except a repeatable one,
     * whose property is then the list of its values in order.
     */
    public static Map<String, Object> parse(List<String> args) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument \"" + arg + "\"");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            Flag flag = find(name).orElseThrow(() -> new UsageException("unknown flag: --" + name));
            String value;
            if (eq >= 0) {
                value = body.substring(eq + 1);
            } else if (flag.bool()) {
                value = "true";
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new UsageException("flag needs an argument: --" + name);
            }
            if (flag.repeatable()) {
                @SuppressWarnings("unchecked")
                List<String> values = (List<String>) properties.computeIfAbsent(flag.property(), k -> new ArrayList<String>());
                values.add(checked(flag, value));
                continue;
            }
            String checked = checked(flag, value);
            Object previous = properties.put(flag.property(), checked);
            if (previous != null) {
                if (flag.type() != Flag.Type.LIST) {
                    throw new UsageException("flag given twice: --" + name);
                }
                // Repeating a list flag adds to it, as pflag's StringSlice does.
                properties.put(flag.property(), previous.toString().isEmpty() ? checked
                        : checked.isEmpty() ? previous : previous + "," + checked);
            }
        }
        return properties;
    }

    /** Validates a value for its flag's type and returns it in the form Micronaut converts. */
    static String checked(Flag flag, String value) {
        switch (flag.type()) {
            case BOOL -> {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new UsageException("invalid boolean value \"" + value + "\" for --" + flag.name());
                }
            }
            case PORT -> {
                int port;
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    throw new UsageException("--" + flag.name() + " must be a port number from 1 to 65535, got \"" + value + "\"");
                }
            }
            case DURATION, NON_NEGATIVE_DURATION -> {
                java.time.Duration d;
                try {
                    d = dev.presize.format.GoDuration.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--" + flag.name() + ": " + e.getMessage());
                }
                if (d.isNegative() || (d.isZero() && flag.type() == Flag.Type.DURATION)) {
                    throw new UsageException("--" + flag.name() + (flag.type() == Flag.Type.DURATION
                            ? " must be a positive duration" : " must not be negative") + ", got \"" + value + "\"");
                }
                // Micronaut's converter reads ISO-8601; Go syntax like 1h30m is not one of its forms.
                return d.toString();
            }
            case COUNT -> {
                if (!value.matches("[0-9]{1,9}")) {
                    throw new UsageException("--" + flag.name() + " must be a whole number from 0, got \"" + value + "\"");
                }
            }
            case KEY_VALUE -> {
                if (value.indexOf('=') < 1) {
                    throw new UsageException("--" + flag.name() + " must be name=value, got \"" + value + "\"");
                }
            }
            default -> {
            }
        }
        return value;
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: java -jar presize.jar [flags]\n\n");
        sb.append("Serves presize.dev/v1beta1 Requests recommendations as a Kubernetes aggregated API.\n\nFlags:\n");
        for (Flag f : ALL) {
            String arg = f.bool() ? "" : f.repeatable() ? " name=value" : " " + f.type().name().toLowerCase(java.util.Locale.ROOT);
            sb.append(String.format("  --%-22s %s%n", f.name() + arg, f.help()));
            if (!f.defaultValue().isEmpty()) {
                sb.append(String.format("  %-24s (default %s)%n", "", f.defaultValue()));
            }
        }
        sb.append("\nEvery flag --x is also the property presize.x and the environment variable PRESIZE_X.\n");
        return sb.toString();
    }

    /** A command-line mistake: reported with the usage, exit code 2, no stack trace. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
