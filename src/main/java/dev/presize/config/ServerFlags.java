package dev.presize.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every flag the server accepts, named like metrics-server's and k8s.io/apiserver's where one exists,
 * so operators can carry their muscle memory (and their manifests) over. Defaults are defined here
 * only; {@link Settings} turns the values into one record per stage.
 */
public final class ServerFlags {

    // Secure serving, named as k8s.io/apiserver's SecureServingOptions.
    public static final Flag<Integer> SECURE_PORT = new Flag<>("secure-port", Type.PORT, "8443",
            "HTTPS port. There is no plain-HTTP listener.");
    public static final Flag<String> BIND_ADDRESS = new Flag<>("bind-address", Type.ADDRESS, "0.0.0.0",
            "Address to listen on; --demo uses 127.0.0.1 and refuses anything but loopback.");
    public static final Flag<Optional<Path>> TLS_CERT_FILE = new Flag<>("tls-cert-file", Type.PATH, "",
            "Serving certificate (chain), PEM. Without it a CA and serving certificate are generated into --cert-dir. "
                    + "Reloaded without restart when the file changes (also Secret ..data symlink swaps).");
    public static final Flag<Optional<Path>> TLS_PRIVATE_KEY_FILE = new Flag<>("tls-private-key-file", Type.PATH, "",
            "Private key matching --tls-cert-file, PEM; RSA or EC, PKCS#1/SEC1 or PKCS#8.");
    public static final Flag<Path> CERT_DIR = new Flag<>("cert-dir", Type.REQUIRED_PATH, "apiserver.local.config/certificates",
            "Without --tls-cert-file, a CA and serving certificate are generated here (EC P-256) and reused on restart.");
    public static final Flag<List<String>> TLS_SANS = new Flag<>("tls-sans", Type.LIST, "",
            "Extra DNS names/IPs for the generated certificate (always: localhost, 127.0.0.1, ::1).");
    public static final Flag<Duration> TLS_RELOAD_INTERVAL = new Flag<>("tls-reload-interval", Type.DURATION, "10s",
            "How often the certificate files are checked for changes.");
    // The recommendations.
    public static final Flag<Duration> REFRESH_INTERVAL = new Flag<>("refresh-interval", Type.DURATION, "15m",
            "Recompute recommendations on this wall-clock grid.");
    public static final Flag<Duration> HISTORY = new Flag<>("history", Type.wholeHours(Duration.ofHours(1)), "336h",
            "Usage history behind each recommendation, whole hours; under 312h the model sizes CPU in its cold start"
                    + " for good (its calibration needs 13 days).");
    public static final Flag<Duration> RETRAIN_INTERVAL = new Flag<>("retrain-interval", Type.DURATION, "6h",
            "Retrain the model at most this often; refreshes in between reuse it.");
    public static final Flag<Double> CPU_TARGET_RISK = new Flag<>("cpu-target-risk", Type.FRACTION, "0.05",
            "Share of CPU samples allowed above the request.");
    public static final Flag<Double> CPU_TARGET_UNMET = new Flag<>("cpu-target-unmet", Type.FRACTION, "0.02",
            "Share of CPU usage (core-seconds) allowed above the request.");
    public static final Flag<Double> MEMORY_TARGET_RISK = new Flag<>("memory-target-risk", Type.FRACTION, "0.01",
            "Share of container-days whose memory peak may exceed the request.");
    public static final Flag<Double> CHANGE_COST = new Flag<>("change-cost", Type.SHARE, "0.4",
            "Keep a container's request in force while it costs at most this share of the best request more than "
                    + "the best (a restart's worth); 0: always the best.");
    // Usage history from Prometheus.
    public static final Flag<Optional<URI>> PROMETHEUS_URL = new Flag<>("prometheus-url", Type.URL, "",
            "Base URL of the Prometheus HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics; a path prefix such as "
                    + "Mimir's /prometheus is kept). Empty: no Prometheus. Only /api/v1/query_range is used, as POST forms.");
    public static final Flag<Optional<Path>> PROMETHEUS_BEARER_TOKEN_FILE = new Flag<>("prometheus-bearer-token-file", Type.PATH, "",
            "Bearer token for Prometheus, re-read on every request (projected service-account tokens rotate).");
    public static final Flag<Optional<Path>> PROMETHEUS_CA_FILE = new Flag<>("prometheus-ca-file", Type.PATH, "",
            "PEM CA bundle for an https Prometheus; default the JVM's trust store.");
    public static final Flag<Boolean> PROMETHEUS_INSECURE_SKIP_VERIFY = new Flag<>("prometheus-insecure-skip-verify", Type.BOOL,
            "false", "Accept any certificate and host name from Prometheus (testing only).");
    public static final Flag<List<String>> PROMETHEUS_HEADER = new Flag<>("prometheus-header", Type.HTTP_HEADER, "",
            "Extra request header as Name=value, e.g. X-Scope-OrgID=tenant; repeat the flag for several "
                    + "(in the environment variable: comma-separated).");
    public static final Flag<Duration> PROMETHEUS_TIMEOUT = new Flag<>("prometheus-timeout", Type.DURATION, "30s",
            "Per query; also sent to Prometheus as the query's evaluation timeout. Failed queries are retried "
                    + "(3 attempts) on connection errors and 429/502/503/504 only.");
    // The Kubernetes API.
    public static final Flag<Optional<Path>> KUBECONFIG = new Flag<>("kubeconfig", Type.PATH, "",
            "Kubeconfig for the Kubernetes API (workload informers, TokenReview, SubjectAccessReview, the authentication "
                    + "ConfigMap). Without it, the pod's service account (in-cluster configuration); ~/.kube/config and "
                    + "$KUBECONFIG are never read.");
    // The demo.
    public static final Flag<Boolean> DEMO = new Flag<>("demo", Type.BOOL, "false",
            "Run the embedded demo: shipped usage history, no cluster, no authentication, bound to 127.0.0.1.");
    public static final Flag<Path> DEMO_KUBECONFIG = new Flag<>("demo-kubeconfig", Type.REQUIRED_PATH, "presize-demo.kubeconfig",
            "Where --demo writes a kubeconfig for kubectl.");
    // Delegated authentication, named as k8s.io/apiserver's DelegatingAuthenticationOptions.
    public static final Flag<Optional<Path>> CLIENT_CA_FILE = new Flag<>("client-ca-file", Type.PATH, "",
            "PEM CA bundle for client certificates (CN user, O groups); replaces client-ca-file of ConfigMap "
                    + "kube-system/extension-apiserver-authentication.");
    public static final Flag<Optional<Path>> REQUESTHEADER_CLIENT_CA_FILE = new Flag<>("requestheader-client-ca-file", Type.PATH, "",
            "PEM CA bundle for the front proxy; when set, the --requestheader-* flags replace the ConfigMap's requestheader-* keys.");
    public static final Flag<List<String>> REQUESTHEADER_ALLOWED_NAMES = new Flag<>("requestheader-allowed-names", Type.LIST, "",
            "Allowed common names of the front proxy's client certificate; empty allows any name the CA signed.");
    public static final Flag<List<String>> REQUESTHEADER_USERNAME_HEADERS = new Flag<>("requestheader-username-headers", Type.LIST,
            "x-remote-user", "Request headers to read the user name from; the first non-empty one wins.");
    public static final Flag<List<String>> REQUESTHEADER_GROUP_HEADERS = new Flag<>("requestheader-group-headers", Type.LIST,
            "x-remote-group", "Request headers to read groups from; all values of all of them are used.");
    public static final Flag<List<String>> REQUESTHEADER_EXTRA_HEADERS_PREFIX = new Flag<>("requestheader-extra-headers-prefix",
            Type.LIST, "x-remote-extra-", "Request header prefixes for extra user information.");
    public static final Flag<Boolean> AUTHENTICATION_SKIP_LOOKUP = new Flag<>("authentication-skip-lookup", Type.BOOL, "false",
            "Do not read ConfigMap kube-system/extension-apiserver-authentication; then the CA flags above are needed.");
    public static final Flag<Boolean> AUTHENTICATION_TOLERATE_LOOKUP_FAILURE = new Flag<>("authentication-tolerate-lookup-failure",
            Type.BOOL, "false", "Start even if that ConfigMap cannot be read (retried in the background); requests then may be "
                    + "anonymous until it is.");
    public static final Flag<Duration> AUTHENTICATION_TOKEN_WEBHOOK_CACHE_TTL = new Flag<>("authentication-token-webhook-cache-ttl",
            Type.DURATION, "10s", "How long TokenReview answers (authenticated or not) are cached.");
    public static final Flag<Duration> AUTHENTICATION_TOKEN_WEBHOOK_TIMEOUT = new Flag<>("authentication-token-webhook-timeout",
            Type.DURATION, "10s", "Deadline of a TokenReview; after it the token counts as failed (401). Presize's own flag; "
                    + "upstream hard-codes 10 s.");
    // Delegated authorization, named as k8s.io/apiserver's DelegatingAuthorizationOptions.
    public static final Flag<List<String>> AUTHORIZATION_ALWAYS_ALLOW_PATHS = new Flag<>("authorization-always-allow-paths", Type.LIST,
            "/healthz,/readyz,/livez", "Non-resource paths allowed without a SubjectAccessReview (a trailing * matches a prefix).");
    public static final Flag<Duration> AUTHORIZATION_WEBHOOK_CACHE_AUTHORIZED_TTL = new Flag<>(
            "authorization-webhook-cache-authorized-ttl", Type.DURATION, "10s", "How long allowed SubjectAccessReview answers are cached.");
    public static final Flag<Duration> AUTHORIZATION_WEBHOOK_CACHE_UNAUTHORIZED_TTL = new Flag<>(
            "authorization-webhook-cache-unauthorized-ttl", Type.DURATION, "10s", "How long denied SubjectAccessReview answers are cached.");
    public static final Flag<Duration> AUTHORIZATION_WEBHOOK_TIMEOUT = new Flag<>("authorization-webhook-timeout", Type.DURATION, "10s",
            "Deadline of a SubjectAccessReview; after it the request is denied (403). Presize's own flag; upstream hard-codes 10 s.");
    // Protection, named as kube-apiserver's ServerRunOptions.
    public static final Flag<Integer> MAX_REQUESTS_INFLIGHT = new Flag<>("max-requests-inflight", Type.COUNT, "400",
            "Most requests served at once; more get 429 TooManyRequests with Retry-After. Watches and health probes are "
                    + "not counted; 0 means no limit.");
    public static final Flag<Duration> REQUEST_TIMEOUT = new Flag<>("request-timeout", Type.DURATION, "60s",
            "A request still unanswered after this gets 504 Timeout; watches are exempt. Also bounds how long shutdown "
                    + "waits for requests in flight.");
    public static final Flag<Integer> MIN_REQUEST_TIMEOUT = new Flag<>("min-request-timeout", Type.COUNT, "1800",
            "Seconds: a watch without timeoutSeconds ends after a random time between this and twice this, to spread reconnects.");
    public static final Flag<Integer> MAX_WATCHES = new Flag<>("max-watches", Type.COUNT, "1000",
            "Most watches open at once on this replica; one more gets 429 TooManyRequests with Retry-After, as "
                    + "kube-apiserver limits long-running requests (--max-requests-inflight does not count watches); "
                    + "0 means no limit.");
    public static final Flag<Duration> SHUTDOWN_DELAY_DURATION = new Flag<>("shutdown-delay-duration", Type.NON_NEGATIVE_DURATION, "0s",
            "After SIGTERM, keep serving this long with /readyz failing, so load balancers stop sending requests, "
                    + "before the listener closes.");

    public static final FlagTable TABLE = new FlagTable("Usage: java -jar presize.jar [flags]\n"
            + "       java -jar presize.jar backtest --trace FILE [flags]   (backtest --help for its flags)\n"
            + "       java -jar presize.jar export --prometheus-url URL --output FILE.csv.gz [flags]   (export --help)",
            "Serves presize.dev/v1beta1 Requests recommendations as a Kubernetes aggregated API.\n\n"
                    + "Commands:\n"
                    + "  (none)    run the server\n"
                    + "  backtest  replay a usage trace and score the model against VPA, KRR and the manual requests\n"
                    + "  export    write a cluster's usage history from Prometheus as a trace for backtest",
            List.of(SECURE_PORT, BIND_ADDRESS, TLS_CERT_FILE, TLS_PRIVATE_KEY_FILE, CERT_DIR, TLS_SANS, TLS_RELOAD_INTERVAL,
                    REFRESH_INTERVAL, HISTORY, RETRAIN_INTERVAL, CPU_TARGET_RISK, CPU_TARGET_UNMET, MEMORY_TARGET_RISK,
                    CHANGE_COST,
                    PROMETHEUS_URL, PROMETHEUS_BEARER_TOKEN_FILE, PROMETHEUS_CA_FILE, PROMETHEUS_INSECURE_SKIP_VERIFY,
                    PROMETHEUS_HEADER, PROMETHEUS_TIMEOUT, KUBECONFIG, DEMO, DEMO_KUBECONFIG, CLIENT_CA_FILE,
                    REQUESTHEADER_CLIENT_CA_FILE, REQUESTHEADER_ALLOWED_NAMES, REQUESTHEADER_USERNAME_HEADERS,
                    REQUESTHEADER_GROUP_HEADERS, REQUESTHEADER_EXTRA_HEADERS_PREFIX, AUTHENTICATION_SKIP_LOOKUP,
                    AUTHENTICATION_TOLERATE_LOOKUP_FAILURE, AUTHENTICATION_TOKEN_WEBHOOK_CACHE_TTL,
                    AUTHENTICATION_TOKEN_WEBHOOK_TIMEOUT, AUTHORIZATION_ALWAYS_ALLOW_PATHS,
                    AUTHORIZATION_WEBHOOK_CACHE_AUTHORIZED_TTL, AUTHORIZATION_WEBHOOK_CACHE_UNAUTHORIZED_TTL,
                    AUTHORIZATION_WEBHOOK_TIMEOUT, MAX_REQUESTS_INFLIGHT, REQUEST_TIMEOUT, MIN_REQUEST_TIMEOUT,
                    MAX_WATCHES, SHUTDOWN_DELAY_DURATION),
            "Every flag --x is also the environment variable PRESIZE_X (e.g. PRESIZE_SECURE_PORT=9443) and the property\n"
                    + "presize.x (application.yml, -Dpresize.x=...). A flag wins over -D, -D over the environment, the\n"
                    + "environment over application.yml. Durations use Go's syntax (15m, 1h30m); lists are comma-separated.");

    private ServerFlags() {
    }
}
