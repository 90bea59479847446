package dev.presize.api.listoptions;

import dev.presize.api.Fixtures;
import dev.presize.api.errors.ApiException;
import dev.presize.v1beta1.Requests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PagerTest {

    private static final long RV = 1795305262000L;
    // "a" < "a-b" as the snapshot orders namespaces, although "a/x" > "a-b/x" as strings
    private static final List<Requests> ALL = Fixtures.sorted("a/x", "a/y", "a-b/x", "b/p", "b/q.statefulset", "c/z");

    private static List<String> keys(List<Requests> items) {
        return items.stream().map(r -> r.namespace() + "/" + r.name()).toList();
    }

    @Test
    void noLimitReturnsEverythingWithoutAToken() {
        Pager.Page p = Pager.page(ALL, null, 0, null, RV);
        assertEquals(ALL, p.items());
        assertNull(p.continueToken());
        assertNull(p.remainingItemCount());
    }

    @Test
    void walksAllPagesInSnapshotOrder() {
        List<String> seen = new ArrayList<>();
        String token = null;
        List<Long> remaining = new ArrayList<>();
        do {
            Pager.Page p = Pager.page(ALL, null, 4, token, RV);
            seen.addAll(keys(p.items()));
            remaining.add(p.remainingItemCount());
            token = p.continueToken();
        } while (token != null);
        assertEquals(List.of("a/x", "a/y", "a-b/x", "b/p", "b/q.statefulset", "c/z"), seen);
        assertEquals(java.util.Arrays.asList(2L, null), remaining);
    }

    @Test
    void anExactlyFullLastPageHasNoToken() {
        Pager.Page p = Pager.page(ALL, null, ALL.size(), null, RV);
        assertEquals(ALL.size(), p.items().size());
        assertNull(p.continueToken());
    }

    @Test
    void tokenPointsAfterTheLastServedKey() {
        Pager.Page p = Pager.page(ALL, null, 2, null, RV);
        assertEquals(new ContinueToken(RV, "a", "y"), ContinueToken.decode(p.continueToken()));
    }

    @Test
    void filteredPagesCountOnlyMatchesAndOmitRemainingCount() {
        Pager.Page p = Pager.page(ALL, r -> !r.namespace().equals("a-b"), 2, null, RV);
        assertEquals(List.of("a/x", "a/y"), keys(p.items()));
        assertNotNull(p.continueToken());
        assertNull(p.remainingItemCount());
        Pager.Page next = Pager.page(ALL, r -> !r.namespace().equals("a-b"), 2, p.continueToken(), RV);
        assertEquals(List.of("b/p", "b/q.statefulset"), keys(next.items()));
        // nothing after c/z is left out: "c/z" is the last match, so the next page ends the list
        Pager.Page last = Pager.page(ALL, r -> !r.namespace().equals("a-b"), 2, next.continueToken(), RV);
        assertEquals(List.of("c/z"), keys(last.items()));
        assertNull(last.continueToken());
    }

    @Test
    void noTokenWhenNoFurtherObjectMatches() {
        Pager.Page p = Pager.page(ALL, r -> r.namespace().equals("a"), 2, null, RV);
        assertEquals(List.of("a/x", "a/y"), keys(p.items()));
        assertNull(p.continueToken());
    }

    @Test
    void aTokenFromAnotherSnapshotContinuesAfterItsKeyInTheCurrentOne() {
        String old = new ContinueToken(RV - 60_000, "a-b", "x").encode();
        List<Requests> now = Fixtures.sorted("a/x", "b/new", "b/p", "c/z"); // a-b/x deleted, b/new added
        Pager.Page p = Pager.page(now, null, 10, old, RV);
        assertEquals(List.of("b/new", "b/p", "c/z"), keys(p.items()));
    }

    @Test
    void tokenCarriesTheCurrentResourceVersion() {
        String old = new ContinueToken(RV - 60_000, "a", "x").encode();
        Pager.Page p = Pager.page(ALL, null, 1, old, RV);
        assertEquals(RV, ContinueToken.decode(p.continueToken()).resourceVersion());
    }

    @Test
    void aTokenPastTheEndGivesAnEmptyLastPage() {
        Pager.Page p = Pager.page(ALL, null, 5, new ContinueToken(RV, "zz", "z").encode(), RV);
        assertEquals(List.of(), p.items());
        assertNull(p.continueToken());
    }

    @Test
    void invalidTokensAreBadRequests() {
        ApiException e = assertThrows(ApiException.class, () -> Pager.page(ALL, null, 5, "!!", RV));
        assertEquals(400, e.code());
    }

    @Test
    void emptyList() {
        Pager.Page p = Pager.page(List.of(), null, 5, null, 0);
        assertEquals(List.of(), p.items());
        assertNull(p.continueToken());
    }
}
