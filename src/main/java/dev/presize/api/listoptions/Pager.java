package dev.presize.api.listoptions;

import dev.presize.v1beta1.Requests;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Cuts one page out of a snapshot's sorted list ({@code Snapshot.list}, ordered by namespace,
 * then name) for {@code limit}/{@code continue}.
 *
 * <p>Deliberate difference from kube-apiserver on etcd: a token whose resourceVersion is not the
 * current snapshot's is <em>not</em> answered with 410 Expired. We keep only the current snapshot
 * in memory, and consecutive pages may reach different replicas that switched snapshots seconds
 * apart, so a 410 would hit ordinary paging every refresh. Instead the page continues after the
 * token's key in the current snapshot: each object is still served at most once and in order,
 * and objects that changed meanwhile are seen as they are now (what etcd calls an inconsistent
 * continuation). client-go's pager and kubectl then simply finish the list; with a 410 the
 * client-go pager would restart a full unpaginated list and kubectl would fail. The page carries
 * the current snapshot's resourceVersion, so a watch started from it misses nothing.
 */
public final class Pager {

    /**
     * @param items              the objects of this page
     * @param continueToken      the token for the next page, null when this is the last one
     * @param remainingItemCount objects after this page, only when known without a selector
     *                           (kube leaves it unset when a selector filtered the list), else null
     */
    public record Page(List<Requests> items, String continueToken, Long remainingItemCount) {
        public Page {
            items = List.copyOf(items);
        }
    }

    private Pager() {
    }

    /**
     * @param sorted          every object in scope, sorted as {@code Snapshot.ORDER}
     * @param filter          the selectors; null selects everything
     * @param limit           0 for no limit
     * @param continueValue   the client's {@code continue} parameter, or null
     * @param resourceVersion the snapshot's resourceVersion, put into the next token
     * @throws ApiException 400 when {@code continueValue} is not a valid token
     */
    public static Page page(List<Requests> sorted, Predicate<Requests> filter, long limit, String continueValue,
                            long resourceVersion) {
        int from = 0;
        if (continueValue != null && !continueValue.isEmpty()) {
            ContinueToken token = ContinueToken.decode(continueValue);
            from = firstAfter(sorted, token.namespace(), token.name());
        }
        List<Requests> page = new ArrayList<>();
        int i = from;
        for (; i < sorted.size(); i++) {
            Requests r = sorted.get(i);
            if (filter != null && !filter.test(r)) {
                continue;
            }
            if (limit > 0 && page.size() == limit) {
                break;
            }
            page.add(r);
        }
        if (i >= sorted.size()) {
            return new Page(page, null, null);
        }
        // i is the first matching object that did not fit: there is a next page
        Requests last = page.get(page.size() - 1);
        // a token's rv is never 0 (kube rejects it); a snapshot before any refresh is empty anyway
        String next = new ContinueToken(Math.max(1, resourceVersion), last.namespace(), last.name()).encode();
        Long remaining = filter == null ? (long) (sorted.size() - i) : null;
        return new Page(page, next, remaining);
    }

    /** Index of the first object whose (namespace, name) sorts after the given key; binary search. */
    static int firstAfter(List<Requests> sorted, String namespace, String name) {
        int lo = 0;
        int hi = sorted.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            Requests r = sorted.get(mid);
            int c = r.namespace().compareTo(namespace);
            if (c == 0) {
                c = r.name().compareTo(name);
            }
            if (c <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
