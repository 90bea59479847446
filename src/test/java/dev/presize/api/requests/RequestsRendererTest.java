package dev.presize.api.requests;

import dev.presize.api.responses.AcceptNegotiator;
import dev.presize.api.Fixtures;
import dev.presize.api.responses.WireJson;
import dev.presize.api.responses.YamlRenderer;
import dev.presize.api.listoptions.IncludeObject;
import dev.presize.api.listoptions.Pager;
import dev.presize.v1beta1.Requests;
import dev.presize.recommendations.Snapshot;
import io.kubernetes.client.openapi.models.V1ListMeta;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The memoized JSON path writes exactly what encoding the whole answer writes. */
class RequestsRendererTest {

    final WireJson json = new WireJson();
    final RequestsRenderer renderer = new RequestsRenderer(json, new YamlRenderer(json), Clock.systemUTC(), new EncodedObjects(json));
    final AcceptNegotiator.Negotiated plain = AcceptNegotiator.Negotiated.DEFAULT;

    @Test
    void oneObjectIsByteIdenticalToEncodingIt() {
        Snapshot s = Snapshot.of(7, Fixtures.sorted("shop/web", "shop/api"));
        Requests web = s.get("shop", "web").orElseThrow();
        assertEquals(new String(json.encode(web), StandardCharsets.UTF_8), body(renderer.one(s, web, plain, IncludeObject.METADATA)));
        // served twice from the memo: the same bytes
        assertEquals(body(renderer.one(s, web, plain, IncludeObject.METADATA)), body(renderer.one(s, web, plain, IncludeObject.METADATA)));
    }

    @Test
    void listsAreByteIdenticalToEncodingTheWholeList() {
        Snapshot s = Snapshot.of(1795305262000L, Fixtures.sorted("a/x", "b/y", "b/z", "c/w"));
        for (long limit : new long[]{0, 1, 3, 4}) {
            Pager.Page page = Pager.page(s.list(null), r -> true, limit, null, s.resourceVersion());
            V1ListMeta meta = new V1ListMeta().resourceVersion(Long.toString(s.resourceVersion()))
                    ._continue(page.continueToken()).remainingItemCount(page.remainingItemCount());
            String expected = new String(json.encode(RequestsList.of(meta, page.items())), StandardCharsets.UTF_8);
            assertEquals(expected, body(renderer.list(s, page, plain, IncludeObject.METADATA)), "limit " + limit);
        }
        Pager.Page none = Pager.page(s.list("nowhere"), r -> true, 0, null, s.resourceVersion());
        assertEquals(new String(json.encode(RequestsList.of(new V1ListMeta().resourceVersion("1795305262000"), List.of())),
                StandardCharsets.UTF_8), body(renderer.list(s, none, plain, IncludeObject.METADATA)));
    }

    @Test
    void aNewSnapshotIsNeverAnsweredFromTheOldOnesMemo() {
        Snapshot before = Snapshot.of(1, List.of(Fixtures.requests("shop", "web", Map.of("v", "1"))));
        Snapshot after = Snapshot.of(2, List.of(Fixtures.requests("shop", "web", Map.of("v", "2"))));
        String old = body(renderer.one(before, before.get("shop", "web").orElseThrow(), plain, IncludeObject.METADATA));
        String now = body(renderer.one(after, after.get("shop", "web").orElseThrow(), plain, IncludeObject.METADATA));
        assertNotEquals(old, now);
        assertEquals(new String(json.encode(after.get("shop", "web").orElseThrow()), StandardCharsets.UTF_8), now);
        // A late reader of the older snapshot still gets its own object.
        assertEquals(old, body(renderer.one(before, before.get("shop", "web").orElseThrow(), plain, IncludeObject.METADATA)));
    }

    private static String body(io.micronaut.http.HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
