package dev.presize.workloads.kubernetes;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.util.ClientBuilder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock standing in for kube-apiserver: the fixture cluster's list bodies, and watches that stay
 * open a moment and end without events (as a real watch does when nothing changes), unless a test
 * queues events for the next watch of a resource.
 */
final class KubeApiStub implements AutoCloseable {

    /** How long an idle watch stays open; short, so the test's events are picked up quickly. */
    static final int IDLE_WATCH_MILLIS = 1000;

    final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(40));

    KubeApiStub() {
        server.start();
        FixtureCluster.RESOURCES.forEach((resource, r) -> {
            server.stubFor(get(urlPathEqualTo(r.path())).atPriority(5)
                    .willReturn(json(FixtureCluster.body(resource))));
            server.stubFor(get(urlPathEqualTo(r.path())).withQueryParam("watch", equalTo("true")).atPriority(3)
                    .willReturn(json("").withFixedDelay(IDLE_WATCH_MILLIS)));
        });
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A source reading this stub, waiting up to {@code initialSyncWait} for the first sync. */
    ClusterWorkloadSource source(Duration initialSyncWait) {
        return source(url(), initialSyncWait);
    }

    /** A source reading the API server at {@code url}, with a list client and a watch client as the factory makes them. */
    static ClusterWorkloadSource source(String url, Duration initialSyncWait) {
        return new ClusterWorkloadSource(new ClientBuilder().setBasePath(url).setReadTimeout(Duration.ofSeconds(60)).build(),
                new ClientBuilder().setBasePath(url).build(), initialSyncWait);
    }

    /** The next watch of {@code resource} delivers these events (type → object), once. */
    void queueWatchEvents(String resource, List<Map.Entry<String, Object>> events) {
        String body = events.stream()
                .map(e -> "{\"type\":\"" + e.getKey() + "\",\"object\":" + JSON.serialize(e.getValue()) + "}")
                .collect(Collectors.joining("\n", "", "\n"));
        server.stubFor(get(urlPathEqualTo(FixtureCluster.RESOURCES.get(resource).path()))
                .withQueryParam("watch", equalTo("true")).atPriority(1)
                .inScenario(resource + "-events").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("delivered")
                .willReturn(json(body)));
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    static Duration idleWatch() {
        return Duration.ofMillis(IDLE_WATCH_MILLIS);
    }

    @Override
    public void close() {
        server.stop();
    }
}
