package dev.presize.security.authentication;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The aggregator's identity headers, trusted only on a connection whose client certificate
 * verifies against the requestheader CA, as k8s.io/apiserver's {@code headerrequest.NewSecure}
 * (pkg/authentication/request/headerrequest) wrapped in the x509 {@code Verifier}
 * (pkg/authentication/request/x509): no certificate or no requestheader CA → no opinion; a chain
 * that does not verify, or a common name outside a non-empty allowed list → error; a verified
 * proxy without a user-name header → no opinion. The user is the first non-empty user-name
 * header, the groups are all values of all group headers, the extra keys are the rest of each
 * prefixed header name, lower-cased and percent-decoded.
 */
@Singleton
public class FrontProxyAuthenticator implements Authenticator {

    private final Supplier<TrustConfiguration> trust;
    private final CertificateVerifier verifier;

    @Inject
    public FrontProxyAuthenticator(TrustConfigurationSource trust, CertificateVerifier verifier) {
        this(trust::current, verifier);
    }

    FrontProxyAuthenticator(Supplier<TrustConfiguration> trust, CertificateVerifier verifier) {
        this.trust = trust;
        this.verifier = verifier;
    }

    @Override
    public Outcome authenticate(AuthenticationRequest request) {
        RequestHeaderConfig config = trust.get().requestHeader();
        if (request.peerChain().isEmpty() || config == null) {
            return Outcome.none();
        }
        List<X509Certificate> chain;
        try {
            chain = verifier.verify(request.peerChain(), config.ca());
        } catch (CertificateVerifier.VerificationException e) {
            return Outcome.failed("front proxy: verifying certificate " + describe(request.peerChain().get(0)) + " failed: " + e.getMessage());
        }
        String cn = CertificateNames.commonName(chain.get(0));
        if (!config.allowedNames().isEmpty() && !config.allowedNames().contains(cn)) {
            return Outcome.failed("front proxy: x509: subject with cn=" + cn + " is not in the allowed list");
        }
        String name = "";
        for (String header : config.usernameHeaders()) {
            name = request.first(header);
            if (!name.isEmpty()) {
                break;
            }
        }
        if (name.isEmpty()) {
            return Outcome.none();
        }
        List<String> groups = new ArrayList<>();
        for (String header : config.groupHeaders()) {
            request.all(header).stream().filter(v -> !v.isEmpty()).forEach(groups::add);
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        for (String prefix : config.extraHeaderPrefixes()) {
            String p = prefix.toLowerCase(Locale.ROOT);
            for (String header : request.names()) {
                if (header.startsWith(p) && header.length() >= p.length()) {
                    extra.computeIfAbsent(pathUnescape(header.substring(p.length())), k -> new ArrayList<>())
                            .addAll(request.all(header));
                }
            }
        }
        return Outcome.of(new UserInfo(name, "", groups, extra));
    }

    /** Go's {@code url.PathUnescape}, returning the input unchanged when it is malformed (as k8s does). */
    static String pathUnescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    return s;
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String describe(X509Certificate c) {
        return "\"" + c.getSubjectX500Principal().getName() + "\" (serial " + c.getSerialNumber().toString(16) + ")";
    }
}
