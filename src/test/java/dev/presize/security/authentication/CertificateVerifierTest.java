package dev.presize.security.authentication;

import dev.presize.security.MutableClock;
import dev.presize.security.TestCertificates;
import dev.presize.security.TestCertificates.Ca;
import dev.presize.security.TestCertificates.Usage;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CertificateVerifierTest {

    final Ca ca = TestCertificates.ca("ca");
    final Ca other = TestCertificates.ca("other");
    final Instant now = Instant.now();
    final CertificateVerifier verifier = new CertificateVerifier(new MutableClock(now));

    @Test
    void aClientCertificateOfTheCaVerifies() throws Exception {
        var c = ca.client("u");
        assertEquals(List.of(c.leaf(), ca.cert()), verifier.verify(List.of(c.leaf()), List.of(ca.cert())));
        assertEquals(List.of(c.leaf(), ca.cert()), verifier.verify(c.chain(), List.of(other.cert(), ca.cert())), "any CA of the bundle");
    }

    @Test
    void withoutExtendedKeyUsageItMayBeUsedForClientAuth() throws Exception {
        var c = ca.issue("u", List.of(), Usage.NONE, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));
        verifier.verify(c.chain(), List.of(ca.cert()));
    }

    @Test
    void rejected() {
        var wrongCa = other.client("u");
        var expired = ca.issue("u", List.of(), Usage.CLIENT_AUTH, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
        var notYet = ca.issue("u", List.of(), Usage.CLIENT_AUTH, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(2)));
        var serverOnly = ca.issue("u", List.of(), Usage.SERVER_AUTH_ONLY, now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(1)));
        for (var c : List.of(wrongCa, expired, notYet, serverOnly)) {
            assertThrows(CertificateVerifier.VerificationException.class, () -> verifier.verify(c.chain(), List.of(ca.cert())));
        }
        assertThrows(CertificateVerifier.VerificationException.class, () -> verifier.verify(ca.client("u").chain(), List.of()));
    }
}
