package dev.presize.kubernetes;

import io.micronaut.context.exceptions.ConfigurationException;

/**
 * A Kubernetes API configuration the server cannot start with: a {@code --kubeconfig} that is
 * missing or unreadable, or none outside a pod. The message names the flag or file and the
 * problem in one line and is shown to the operator as is, without a trace.
 */
public final class KubernetesConfigurationException extends ConfigurationException {

    public KubernetesConfigurationException(String message) {
        super(message);
    }
}
