package dev.presize.security.authentication;

import dev.presize.security.MutableClock;
import dev.presize.security.TestCertificates;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrontProxyAuthenticatorTest {

    final TestCertificates.Ca proxyCa = TestCertificates.ca("proxy");
    final TestCertificates.Issued proxy = proxyCa.client("front-proxy-client");

    FrontProxyAuthenticator authenticator(List<String> allowed, List<String> users) {
        RequestHeaderConfig config = new RequestHeaderConfig(List.of(proxyCa.cert()), allowed, users, List.of("X-Remote-Group", "X-Other-Group"),
                List.of("X-Remote-Extra-"));
        return new FrontProxyAuthenticator(() -> new TrustConfiguration(List.of(), config), new CertificateVerifier(new MutableClock(Instant.now())));
    }

    static AuthenticationRequest request(TestCertificates.Issued cert, Map<String, List<String>> headers) {
        return new AuthenticationRequest(cert == null ? List.of() : cert.chain(), headers);
    }

    @Test
    void userGroupsAndExtraAsUpstreamReadsThem() {
        Map<String, List<String>> h = new LinkedHashMap<>();
        h.put("X-Remote-User", List.of(""));
        h.put("X-Fallback-User", List.of("kim", "ignored"));
        h.put("X-Remote-Group", List.of("a", "", "b"));
        h.put("x-other-group", List.of("c"));
        h.put("X-Remote-Extra-Scopes", List.of("s1", "s2"));
        h.put("X-Remote-Extra-Example.Org%2FKey", List.of("v"));
        h.put("X-Remote-Extra-Bad%zz", List.of("w"));
        Outcome o = authenticator(List.of(), List.of("X-Remote-User", "X-Fallback-User")).authenticate(request(proxy, h));
        assertEquals("kim", o.user().name());
        assertEquals(List.of("a", "b", "c"), o.user().groups());
        assertEquals(Map.of("scopes", List.of("s1", "s2"), "example.org/key", List.of("v"), "bad%zz", List.of("w")), o.user().extra());
    }

    @Test
    void noOpinionWithoutCertificateOrWithoutUser() {
        FrontProxyAuthenticator a = authenticator(List.of("front-proxy-client"), List.of("X-Remote-User"));
        assertEquals(Outcome.none(), a.authenticate(request(null, Map.of("X-Remote-User", List.of("root")))));
        assertEquals(Outcome.none(), a.authenticate(request(proxy, Map.of())));
    }

    @Test
    void aNameOutsideTheAllowedListIsAnError() {
        Outcome o = authenticator(List.of("someone-else"), List.of("X-Remote-User")).authenticate(request(proxy, Map.of("X-Remote-User", List.of("u"))));
        assertTrue(o.failed());
        assertTrue(o.error().contains("x509: subject with cn=front-proxy-client is not in the allowed list"), o.error());
    }
}
