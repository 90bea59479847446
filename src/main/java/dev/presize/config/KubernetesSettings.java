package dev.presize.config;

import java.nio.file.Path;
import java.util.Optional;

/** @param kubeconfig empty: the pod's service account (in-cluster configuration) */
public record KubernetesSettings(Optional<Path> kubeconfig) {

    static KubernetesSettings from(Values v) {
        return new KubernetesSettings(v.get(ServerFlags.KUBECONFIG));
    }
}
