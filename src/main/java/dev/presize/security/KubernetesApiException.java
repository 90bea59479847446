package dev.presize.security;

/** A call to the Kubernetes API that did not produce a usable answer: unreachable, too slow, an error status or garbage. */
public final class KubernetesApiException extends Exception {

    public KubernetesApiException(String message) {
        super(message, null, false, false);
    }
}
