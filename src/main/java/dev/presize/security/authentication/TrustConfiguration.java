package dev.presize.security.authentication;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The trust material authentication uses at one moment: the client CA (empty: client certificates
 * authenticate nobody) and the front proxy's settings ({@code null}: no front proxy is trusted,
 * so {@code X-Remote-*} headers never authenticate). Replaced as a whole when the ConfigMap or a
 * CA file changes, so a request always sees one consistent set.
 */
public record TrustConfiguration(List<X509Certificate> clientCa, RequestHeaderConfig requestHeader) {

    public static final TrustConfiguration NONE = new TrustConfiguration(List.of(), null);

    public TrustConfiguration {
        clientCa = List.copyOf(clientCa);
    }

    public boolean hasAnyCa() {
        return !clientCa.isEmpty() || requestHeader != null;
    }
}
