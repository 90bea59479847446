package dev.presize.security;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes API client of {@code --kubeconfig} (in-cluster when empty). Not created in
 * {@code --demo}, which never talks to a cluster.
 */
@Factory
@Requires(property = "presize.demo", notEquals = "true")
public class KubernetesApiClientFactory {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesApiClientFactory.class);

    @Singleton
    public KubernetesApiClient kubernetesApiClient(@Value("${presize.kubeconfig:}") String kubeconfig) {
        KubernetesApiConfig config = KubernetesApiConfig.load(kubeconfig, System.getenv());
        LOG.info("Kubernetes API: {}", config.description());
        return new KubernetesApiClient(config);
    }
}
