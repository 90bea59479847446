package dev.presize.security.authentication;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What authentication looks at: the certificate chain the client presented in the TLS handshake
 * (leaf first; verified by nobody yet) and the request headers, names lower-cased, values in
 * arrival order, one entry per header line.
 */
public record AuthenticationRequest(List<X509Certificate> peerChain, Map<String, List<String>> headers) {

    public AuthenticationRequest {
        peerChain = List.copyOf(peerChain);
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((k, v) -> lower.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>()).addAll(v));
        lower.replaceAll((k, v) -> List.copyOf(v));
        headers = Map.copyOf(lower);
    }

    /** All values of the header {@code name} (case-insensitive), each header line one value. */
    public List<String> all(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The first value of the header {@code name}, or "" (Go's {@code Header.Get}). */
    public String first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? "" : values.get(0);
    }

    /** The lower-cased names of all headers. */
    public Set<String> names() {
        return headers.keySet();
    }
}
