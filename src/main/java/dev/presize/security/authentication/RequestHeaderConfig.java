package dev.presize.security.authentication;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The front proxy's settings (k8s.io/apiserver's {@code RequestHeaderConfig}).
 *
 * @param ca                   roots the front proxy's client certificate must chain to
 * @param allowedNames         common names the front proxy's certificate may have; empty allows any
 * @param usernameHeaders      headers for the user name, the first non-empty one wins
 * @param groupHeaders         headers for groups, all values of all of them
 * @param extraHeaderPrefixes  header prefixes for extra user information
 */
public record RequestHeaderConfig(List<X509Certificate> ca, List<String> allowedNames, List<String> usernameHeaders,
                                  List<String> groupHeaders, List<String> extraHeaderPrefixes) {

    public RequestHeaderConfig {
        ca = List.copyOf(ca);
        allowedNames = List.copyOf(allowedNames);
        usernameHeaders = List.copyOf(usernameHeaders);
        groupHeaders = List.copyOf(groupHeaders);
        extraHeaderPrefixes = List.copyOf(extraHeaderPrefixes);
    }
}
