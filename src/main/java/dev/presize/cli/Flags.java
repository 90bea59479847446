package dev.presize.cli;

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
            new Flag("secure-port", "8443", false, "The port on which to serve HTTPS."),
            new Flag("bind-address", "0.0.0.0", false, "The IP address on which to listen (--demo forces 127.0.0.1)."),
            new Flag("tls-cert-file", "", false,
                    "PEM file with the serving certificate (chain). Without it a self-signed CA and certificate are generated into --cert-dir."),
            new Flag("tls-private-key-file", "", false, "PEM file with the private key matching --tls-cert-file (RSA or EC, PKCS#1/SEC1 or PKCS#8)."),
            new Flag("cert-dir", "apiserver.local.config/certificates", false,
                    "Directory for the generated certificates; ignored when --tls-cert-file is given."),
            new Flag("tls-sans", "", false, "Extra DNS names or IPs (comma-separated) for the generated serving certificate."),
            new Flag("tls-reload-interval", "10s", false,
                    "How often the certificate files are checked for changes (catches Kubernetes Secret symlink swaps)."),
            new Flag("refresh-interval", "15m", false, "How often recommendations are recomputed, aligned to the epoch."),
            new Flag("history", "336h", false, "How much usage history each recommendation is computed from."),
            new Flag("demo", "false", true,
                    "Run the embedded demo: shipped usage history, no cluster, no authentication, bound to 127.0.0.1."),
            new Flag("demo-kubeconfig", "presize-demo.kubeconfig", false, "Where --demo writes a kubeconfig for kubectl."));

    private Flags() {
    }

    public static Optional<Flag> find(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /**
     * Parses {@code --name=value}, {@code --name value} and bare boolean flags into Micronaut
     * properties. Unknown flags and missing values are errors: a typo in a manifest must stop the
     * server at start, not be ignored.
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
            if (flag.bool() && !value.equals("true") && !value.equals("false")) {
                throw new UsageException("invalid boolean value \"" + value + "\" for --" + name);
            }
            if (properties.put(flag.property(), value) != null) {
                throw new UsageException("flag given twice: --" + name);
            }
        }
        return properties;
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: java -jar presize.jar [flags]\n\n");
        sb.append("Serves presize.dev/v1beta1 Requests recommendations as a Kubernetes aggregated API.\n\nFlags:\n");
        for (Flag f : ALL) {
            sb.append(String.format("  --%-22s %s%n", f.name() + (f.bool() ? "" : " string"), f.help()));
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
