package dev.presize.kubernetes;

import dev.presize.config.KubernetesSettings;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.credentials.Authentication;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The one place that turns {@code --kubeconfig} (or, without it, the pod's service account) into
 * Kubernetes {@link ApiClient}s. Everything that talks to the cluster gets its client here: the
 * workload informers ({@link #lists()}, {@link #watches()}), TokenReview and SubjectAccessReview
 * and the first read of the authentication ConfigMap ({@link #requests(Duration)}), and that
 * ConfigMap's informer. The clients differ only in their timeouts and share the credentials, so a
 * rotated service-account token ({@link ServiceAccountToken}) reaches all of them.
 *
 * <p><b>Startup policy.</b> A configuration that cannot work stops the server with a one-line
 * message ({@link KubernetesConfigurationException}): a {@code --kubeconfig} file that is missing
 * or unreadable (the message names the file), or no {@code --kubeconfig} outside a pod. An API
 * server that cannot be reached never stops startup here: the workload informers retry in the
 * background. The one exception is k8s.io/apiserver's: ConfigMap
 * {@code kube-system/extension-apiserver-authentication} must be readable at start unless
 * {@code --authentication-tolerate-lookup-failure} (see
 * {@code dev.presize.security.authentication.TrustConfigurationSource}).
 *
 * <p>Only the in-cluster configuration and an explicit {@code --kubeconfig} are used, never
 * {@code ~/.kube/config} or {@code $KUBECONFIG} (client-java's {@code ClientBuilder.standard()}
 * would pick those up): a server started on a laptop must not quietly talk to whatever cluster the
 * developer's kubectl points at. Not created in {@code --demo}, which never talks to a cluster.
 */
@Singleton
@Requires(property = "presize.demo", notEquals = "true")
public class KubernetesClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesClientFactory.class);

    /** Where the kubelet mounts the service account (client-go's {@code rest.InClusterConfig}). */
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
    /** For lists: a hung list is abandoned and retried. */
    static final Duration LIST_READ_TIMEOUT = Duration.ofSeconds(60);
    /**
     * For watches, which have no read timeout (a watch is quiet while nothing changes, and the
     * server ends it after the few minutes the reflector asks for): only HTTP/2 pings notice a
     * connection that died silently; OkHttp fails the connection when a ping goes unanswered.
     */
    static final Duration WATCH_PING_INTERVAL = Duration.ofSeconds(30);

    /** How to reach the API server: its URL, the CA to verify it with, and the credentials every client sends. */
    private record Endpoint(String server, byte[] ca, boolean verifyTls, Authentication credentials, String source) {
    }

    private final Endpoint endpoint;
    private final ApiClient lists;
    private final ApiClient watches;

    @Inject
    public KubernetesClientFactory(KubernetesSettings settings) {
        this(settings.kubeconfig().map(Path::toString).orElse(""));
    }

    /** {@code kubeconfig} empty: the pod's service account. */
    public KubernetesClientFactory(String kubeconfig) {
        this(kubeconfig, System.getenv(), SERVICE_ACCOUNT, Clock.systemUTC());
    }

    /** With the environment and service-account directory given, for tests of the in-cluster configuration. */
    KubernetesClientFactory(String kubeconfig, Map<String, String> env, Path serviceAccount, Clock clock) {
        this.endpoint = kubeconfig == null || kubeconfig.isBlank()
                ? inCluster(env, serviceAccount, clock) : fromKubeconfig(Path.of(kubeconfig.trim()));
        this.lists = build(b -> b.setReadTimeout(LIST_READ_TIMEOUT));
        this.watches = build(b -> b.setReadTimeout(Duration.ZERO).setPingInterval(WATCH_PING_INTERVAL));
        LOG.info("Kubernetes API: {}", describe());
    }

    /** The shared client for lists (read timeout {@link #LIST_READ_TIMEOUT}). */
    public ApiClient lists() {
        return lists;
    }

    /** The shared client for watches: no read timeout, HTTP/2 pings instead. */
    public ApiClient watches() {
        return watches;
    }

    /**
     * A client of its own whose every call must be answered in full, body included, within
     * {@code deadline} (OkHttp's call timeout; a read timeout would only bound each read), for
     * requests that fail closed when the answer is late (TokenReview, SubjectAccessReview).
     */
    public ApiClient requests(Duration deadline) {
        ApiClient client = build(UnaryOperator.identity());
        client.setHttpClient(client.getHttpClient().newBuilder().callTimeout(deadline).build());
        return client;
    }

    /** Where the configuration comes from and the server it names, for log lines and error messages. */
    public String describe() {
        return endpoint.source() + " (" + endpoint.server() + ")";
    }

    private ApiClient build(UnaryOperator<ClientBuilder> timeouts) {
        ClientBuilder builder = new ClientBuilder().setBasePath(endpoint.server()).setVerifyingSsl(endpoint.verifyTls())
                .setAuthentication(endpoint.credentials());
        if (endpoint.ca() != null) {
            builder.setCertificateAuthority(endpoint.ca());
        }
        try {
            return timeouts.apply(builder).build();
        } catch (RuntimeException e) {
            // client-java reports an unusable CA, client certificate or key this way.
            throw new KubernetesConfigurationException(endpoint.source() + ": cannot set up TLS: " + KubernetesErrors.oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static Endpoint inCluster(Map<String, String> env, Path serviceAccount, Clock clock) {
        String host = env.getOrDefault("KUBERNETES_SERVICE_HOST", "");
        String port = env.getOrDefault("KUBERNETES_SERVICE_PORT", "");
        if (host.isEmpty() || port.isEmpty()) {
            throw new KubernetesConfigurationException("--kubeconfig is empty and this is not a pod (KUBERNETES_SERVICE_HOST/PORT are not set): "
                    + "Presize needs the Kubernetes API for workloads, TokenReview and SubjectAccessReview; give --kubeconfig");
        }
        String source = "in-cluster service account";
        String server;
        try {
            server = new URI("https", null, host, Integer.parseInt(port), null, null, null).toString();
        } catch (NumberFormatException | URISyntaxException e) {
            throw new KubernetesConfigurationException(source + ": KUBERNETES_SERVICE_HOST=" + host + " and KUBERNETES_SERVICE_PORT=" + port
                    + " do not make a URL");
        }
        Path tokenFile = serviceAccount.resolve("token");
        Path caFile = serviceAccount.resolve("ca.crt");
        ServiceAccountToken token = new ServiceAccountToken(tokenFile, clock);
        byte[] ca;
        try {
            token.current(true);
            ca = Files.readAllBytes(caFile);
        } catch (IOException e) {
            throw new KubernetesConfigurationException(source + ": cannot read " + (e instanceof NoSuchFileException ? e.getMessage() + ": no such file"
                    : KubernetesErrors.oneLine(String.valueOf(e.getMessage()))));
        }
        return new Endpoint(server, ca, true, token, source);
    }

    private static Endpoint fromKubeconfig(Path file) {
        String source = "--kubeconfig " + file;
        KubeConfig config;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            config = KubeConfig.loadKubeConfig(reader);
        } catch (NoSuchFileException e) {
            throw new KubernetesConfigurationException(source + ": no such file");
        } catch (IOException e) {
            throw new KubernetesConfigurationException(source + ": cannot read: " + KubernetesErrors.oneLine(String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            throw new KubernetesConfigurationException(source + ": not a kubeconfig: " + KubernetesErrors.oneLine(String.valueOf(e.getMessage())));
        }
        if (config.getServer() == null) {
            throw new KubernetesConfigurationException(source + ": its current context names no cluster server");
        }
        // Relative certificate and token paths in a kubeconfig are relative to the file.
        config.setFile(file.toAbsolutePath().toFile());
        try {
            // Reads the CA, client certificate, key and token (running an exec plugin if there is one) once.
            ClientBuilder read = ClientBuilder.kubeconfig(config);
            byte[] ca = config.getDataOrFileRelative(config.getCertificateAuthorityData(), config.getCertificateAuthorityFile());
            return new Endpoint(read.getBasePath(), ca, read.isVerifyingSsl(), read.getAuthentication(), source);
        } catch (IOException | RuntimeException e) {
            throw new KubernetesConfigurationException(source + ": " + KubernetesErrors.oneLine(String.valueOf(e.getMessage())));
        }
    }
}
