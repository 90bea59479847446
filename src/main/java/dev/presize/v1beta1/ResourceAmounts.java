package dev.presize.v1beta1;

/**
 * A CPU/memory pair in Kubernetes canonical quantity form ({@code 250m}, {@code 320Mi}), as it
 * appears on the wire. Either side may be null when unknown (e.g. a container without requests).
 */
public record ResourceAmounts(String cpu, String memory) {
}
