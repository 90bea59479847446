package dev.presize.kubernetes;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.StringValuePattern;
import dev.presize.security.MutableClock;
import dev.presize.security.SecretVolume;
import dev.presize.security.TestCertificates;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AuthenticationV1Api;
import io.kubernetes.client.openapi.apis.AuthorizationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1SubjectAccessReview;
import io.kubernetes.client.openapi.models.V1SubjectAccessReviewSpec;
import io.kubernetes.client.openapi.models.V1TokenReview;
import io.kubernetes.client.openapi.models.V1TokenReviewSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * In a pod, the kubelet replaces the projected service-account token on disk (a new
 * {@code ..<timestamp>} directory, then the {@code ..data} symlink swapped). Every client of the
 * factory must send the new token once the old one is no longer accepted, without a restart: here
 * a fake kube-apiserver over TLS, trusting only the CA in the mounted {@code ca.crt}, accepts
 * exactly one token at a time.
 */
class ServiceAccountTokenRotationTest {

    static final String TOKENREVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    static final String SUBJECTACCESSREVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
    static final String PODS = "/api/v1/pods";

    @TempDir
    Path dir;

    final TestCertificates.Ca clusterCa = TestCertificates.ca("cluster-ca");
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    WireMockServer apiserver;
    Path serviceAccount;
    KubernetesClientFactory clients;

    @BeforeEach
    void start() throws Exception {
        Path keystore = clusterCa.loopbackServer().writePkcs12(dir.resolve("apiserver.p12"), "changeit");
        apiserver = new WireMockServer(options().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
                .keystorePath(keystore.toString()).keystorePassword("changeit").keyManagerPassword("changeit").keystoreType("PKCS12"));
        apiserver.start();
        unauthorizedByDefault();
        serviceAccount = dir.resolve("serviceaccount");
        SecretVolume.mount(serviceAccount, "..2026_01_01_00_00_00", Map.of("token", "token-1", "ca.crt", clusterCa.pem()));
        clients = new KubernetesClientFactory("", Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "KUBERNETES_SERVICE_PORT", Integer.toString(apiserver.httpsPort())), serviceAccount, clock);
    }

    @AfterEach
    void stop() {
        apiserver.stop();
    }

    @Test
    void afterTheKubeletReplacesTheTokenEveryClientSendsTheNewOne() throws Exception {
        accept("token-1");
        callEveryClient();
        verifySent("token-1");

        SecretVolume.mount(serviceAccount, "..2026_01_01_00_08_00", Map.of("token", "token-2", "ca.crt", clusterCa.pem()));
        apiserver.resetMappings();
        apiserver.resetRequests();
        unauthorizedByDefault();
        accept("token-2");
        // Within the minute the old token is cached; the 401 it now gets makes the client read the
        // file again and repeat the request with the new token, so no call fails.
        awaitEveryClientWorks();
        verifySent("token-2");
    }

    @Test
    void theTokenIsReadAgainEveryMinuteWithoutWaitingForA401() throws Exception {
        accept("token-1");
        accept("token-2");
        callEveryClient();
        SecretVolume.mount(serviceAccount, "..2026_01_01_00_08_00", Map.of("token", "token-2", "ca.crt", clusterCa.pem()));
        callEveryClient();
        assertEquals(0, sent("token-2"), "within the minute the token read last is used");

        clock.advance(ServiceAccountToken.REFRESH);
        callEveryClient();
        verifySent("token-2");
    }

    @Test
    void aServerTheMountedCaDoesNotVouchForIsATlsFailureInWords() {
        TestCertificates.Ca stranger = TestCertificates.ca("someone-else");
        KubernetesClientFactory wrongCa;
        try {
            SecretVolume.mount(serviceAccount, "..2026_01_01_00_09_00", Map.of("token", "token-1", "ca.crt", stranger.pem()));
            wrongCa = new KubernetesClientFactory("", Map.of("KUBERNETES_SERVICE_HOST", "127.0.0.1",
                    "KUBERNETES_SERVICE_PORT", Integer.toString(apiserver.httpsPort())), serviceAccount, clock);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        ApiException e = assertThrows(ApiException.class, () -> new CoreV1Api(wrongCa.lists()).listPodForAllNamespaces().execute());
        String message = KubernetesErrors.describe("GET", wrongCa.lists().getBasePath() + PODS, e);
        assertTrue(message.startsWith("GET https://127.0.0.1:" + apiserver.httpsPort() + PODS + ": TLS verification failed: "), message);
    }

    /** Anything without an accepted token: 401, as kube-apiserver answers an expired token. */
    private void unauthorizedByDefault() {
        apiserver.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Unauthorized\","
                        + "\"reason\":\"Unauthorized\",\"code\":401}")));
    }

    /** The fake answers TokenReview, SubjectAccessReview and the pod list for {@code token}. */
    private void accept(String token) {
        stub(post(urlPathEqualTo(TOKENREVIEWS)), token, "{\"kind\":\"TokenReview\",\"apiVersion\":\"authentication.k8s.io/v1\","
                + "\"spec\":{},\"status\":{\"authenticated\":true,\"user\":{\"username\":\"jane\"}}}");
        stub(post(urlPathEqualTo(SUBJECTACCESSREVIEWS)), token, "{\"kind\":\"SubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\","
                + "\"spec\":{},\"status\":{\"allowed\":true}}");
        stub(get(urlPathEqualTo(PODS)), token, "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},\"items\":[]}");
    }

    private void stub(MappingBuilder request, String token, String body) {
        apiserver.stubFor(request.atPriority(1).withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** A TokenReview and a SubjectAccessReview (deadline clients), a list (list client) and the same list on the watch client. */
    private void callEveryClient() throws ApiException {
        new AuthenticationV1Api(clients.requests(Duration.ofSeconds(10)))
                .createTokenReview(new V1TokenReview().spec(new V1TokenReviewSpec().token("someone's"))).execute();
        new AuthorizationV1Api(clients.requests(Duration.ofSeconds(10)))
                .createSubjectAccessReview(new V1SubjectAccessReview().spec(new V1SubjectAccessReviewSpec().user("jane"))).execute();
        new CoreV1Api(clients.lists()).listPodForAllNamespaces().execute();
        new CoreV1Api(clients.watches()).listPodForAllNamespaces().execute();
    }

    /** Tries every client until all of them succeed; a generous deadline, not a sleep, bounds it. */
    private void awaitEveryClientWorks() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                callEveryClient();
                return;
            } catch (ApiException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the clients never used the new token: HTTP " + e.getCode(), e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Each review and both lists (list client, watch client) went out with {@code token}. */
    private void verifySent(String token) {
        Map<String, Integer> sent = Map.of(
                TOKENREVIEWS, apiserver.findAll(postRequestedFor(urlPathEqualTo(TOKENREVIEWS)).withHeader("Authorization", bearer(token))).size(),
                SUBJECTACCESSREVIEWS, apiserver.findAll(postRequestedFor(urlPathEqualTo(SUBJECTACCESSREVIEWS)).withHeader("Authorization", bearer(token))).size(),
                PODS, apiserver.findAll(getRequestedFor(urlPathEqualTo(PODS)).withHeader("Authorization", bearer(token))).size());
        assertTrue(sent.get(TOKENREVIEWS) >= 1 && sent.get(SUBJECTACCESSREVIEWS) >= 1 && sent.get(PODS) >= 2, token + " sent: " + sent);
    }

    private int sent(String token) {
        return apiserver.findAll(anyRequestedFor(anyUrl()).withHeader("Authorization", bearer(token))).size();
    }

    private static StringValuePattern bearer(String token) {
        return equalTo("Bearer " + token);
    }
}
