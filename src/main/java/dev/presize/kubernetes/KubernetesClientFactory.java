package dev.presize.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one place that turns {@code --kubeconfig} (or, without it, the pod's service account) into a
 * Kubernetes {@link ApiClient}. Everything that talks to the cluster (the workload informers,
 * delegated authentication and authorization) gets its client here.
 *
 * <p>Only the in-cluster configuration and an explicit {@code --kubeconfig} are used, never
 * {@code ~/.kube/config} or {@code $KUBECONFIG} (client-java's {@code ClientBuilder.standard()}
 * would pick those up): a server started on a laptop must not quietly talk to whatever cluster the
 * developer's kubectl points at.
 */
@Factory
@Requires(property = "presize.demo", notEquals = "true")
public class KubernetesClientFactory {

    /** The service account token the kubelet mounts into every pod (client-java reads it again as it rotates). */
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    /** For ordinary requests; long-running watches ask {@link #create(Duration)} for a client without one. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    /** For clients without a read timeout (watches). */
    public static final Duration WATCH_PING_INTERVAL = Duration.ofSeconds(30);

    private final String kubeconfig;

    public KubernetesClientFactory(@Value("${presize.kubeconfig:}") String kubeconfig) {
        this.kubeconfig = kubeconfig == null ? "" : kubeconfig.trim();
    }

    /**
     * The shared client, with {@link #DEFAULT_READ_TIMEOUT}. Replaces the client that
     * micronaut-kubernetes-client would build from its own {@code kubernetes.client.*} properties,
     * so there is one configuration ({@code --kubeconfig}) and one client bean.
     */
    @Singleton
    @Replaces(bean = ApiClient.class, factory = io.micronaut.kubernetes.client.ApiClientFactory.class)
    public ApiClient apiClient() throws IOException {
        return create(DEFAULT_READ_TIMEOUT);
    }

    /** A client of its own; {@link Duration#ZERO} means no read timeout (what a watch needs). */
    public ApiClient create(Duration readTimeout) throws IOException {
        return create(kubeconfig, readTimeout);
    }

    /** Where the configuration comes from, for log lines and error messages. */
    public String describe() {
        return kubeconfig.isEmpty() ? "in-cluster service account" : "kubeconfig " + kubeconfig;
    }

    /**
     * Builds a client from the kubeconfig file at {@code kubeconfig}, or from the in-cluster service
     * account when it is empty. Fails with a message that says what is missing.
     */
    public static ApiClient create(String kubeconfig, Duration readTimeout) throws IOException {
        ClientBuilder builder;
        if (kubeconfig == null || kubeconfig.isBlank()) {
            if (System.getenv("KUBERNETES_SERVICE_HOST") == null || !Files.isReadable(SERVICE_ACCOUNT_TOKEN)) {
                throw new IOException("no Kubernetes configuration: not running in a pod (KUBERNETES_SERVICE_HOST"
                        + " unset or no service account token at " + SERVICE_ACCOUNT_TOKEN + ") and no --kubeconfig given");
            }
            builder = ClientBuilder.cluster();
        } else {
            Path file = Path.of(kubeconfig);
            KubeConfig config;
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                config = KubeConfig.loadKubeConfig(reader);
            } catch (NoSuchFileException e) {
                throw new IOException("--kubeconfig " + kubeconfig + ": no such file", e);
            } catch (RuntimeException e) {
                throw new IOException("--kubeconfig " + kubeconfig + ": not a kubeconfig: " + e.getMessage(), e);
            }
            if (config.getServer() == null) {
                throw new IOException("--kubeconfig " + kubeconfig + ": its current context names no cluster server");
            }
            // Relative certificate and token paths in a kubeconfig are relative to the file.
            config.setFile(file.toAbsolutePath().toFile());
            builder = ClientBuilder.kubeconfig(config);
        }
        builder.setReadTimeout(readTimeout);
        if (readTimeout.isZero()) {
            // Without a read timeout only HTTP/2 pings notice a connection that died silently (kube-apiserver
            // speaks HTTP/2 over TLS); OkHttp fails the connection when a ping goes unanswered.
            builder.setPingInterval(WATCH_PING_INTERVAL);
        }
        return builder.build();
    }
}
