package dev.presize.api.listoptions;

import dev.presize.apimachinery.FieldSelector;
import dev.presize.apimachinery.GoText;
import dev.presize.apimachinery.LabelSelector;

import dev.presize.api.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the query parameters of a list/watch request into {@link ListOptions}, rejecting what
 * kube-apiserver rejects with its messages, and a little more (see below). Unknown parameters are
 * ignored, as kube-apiserver ignores them; names are case-sensitive ({@code Limit} is unknown).
 *
 * <p>Deliberate differences from kube-apiserver, all in the direction of telling the client early:
 * <ul>
 *   <li>A parameter given twice is a 400 (kube silently takes the first value).</li>
 *   <li>A malformed number names its parameter ({@code limit: Invalid value: "x": ...}) instead of
 *       kube's bare {@code strconv.ParseInt: parsing "x": invalid syntax}; negative {@code limit}
 *       and {@code timeoutSeconds} are refused instead of being treated as "none".</li>
 *   <li>Booleans take what Go's {@code strconv.ParseBool} takes; kube reads anything but {@code 0}
 *       and {@code false} as true. A present but empty value ({@code ?watch}) is true, as in kube.</li>
 *   <li>ListOptions validation failures (e.g. {@code resourceVersionMatch} without
 *       {@code resourceVersion}) keep kube's message but are 400 BadRequest, as api.md specifies for
 *       every bad parameter, where kube answers 422 Invalid.</li>
 * </ul>
 * {@code sendInitialEvents} (watch-list, KEP-3157) is served for watch, as with kube's WatchList
 * feature gate on: it requires {@code resourceVersionMatch=NotOlderThan}, and is refused for list.
 */
public final class ListOptionsParser {

    public static final String LABEL_SELECTOR = "labelSelector";
    public static final String FIELD_SELECTOR = "fieldSelector";
    public static final String WATCH = "watch";
    public static final String ALLOW_WATCH_BOOKMARKS = "allowWatchBookmarks";
    public static final String RESOURCE_VERSION = "resourceVersion";
    public static final String RESOURCE_VERSION_MATCH = "resourceVersionMatch";
    public static final String TIMEOUT_SECONDS = "timeoutSeconds";
    public static final String LIMIT = "limit";
    public static final String CONTINUE = "continue";
    public static final String SEND_INITIAL_EVENTS = "sendInitialEvents";
    public static final String INCLUDE_OBJECT = "includeObject";
    public static final String PRETTY = "pretty";

    public static final String MATCH_NOT_OLDER_THAN = "NotOlderThan";
    public static final String MATCH_EXACT = "Exact";

    private ListOptionsParser() {
    }

    /**
     * @param query decoded query parameters; null means none
     * @throws ApiException 400 naming the offending parameter
     */
    public static ListOptions parse(Map<String, List<String>> query) {
        return parse(query, false);
    }

    /**
     * @param forceWatch the request came by the {@code /watch/} path, which is a watch whatever
     *                   {@code watch} says (kube's ListResource {@code forceWatch})
     */
    public static ListOptions parse(Map<String, List<String>> query, boolean forceWatch) {
        Map<String, List<String>> q = query == null ? Map.of() : query;
        LabelSelector labels = LabelSelector.parse(single(q, LABEL_SELECTOR));
        FieldSelector fields = FieldSelector.parse(single(q, FIELD_SELECTOR));
        boolean watch = bool(q, WATCH) || forceWatch;
        boolean bookmarks = bool(q, ALLOW_WATCH_BOOKMARKS);
        String rv = emptyToNull(single(q, RESOURCE_VERSION));
        String match = emptyToNull(single(q, RESOURCE_VERSION_MATCH));
        Long timeout = nonNegative(q, TIMEOUT_SECONDS);
        Long limit = nonNegative(q, LIMIT);
        String cont = emptyToNull(single(q, CONTINUE));
        Boolean sendInitialEvents = q.containsKey(SEND_INITIAL_EVENTS) && single(q, SEND_INITIAL_EVENTS) != null
                ? bool(q, SEND_INITIAL_EVENTS) : null;
        boolean pretty = bool(q, PRETTY);
        IncludeObject include = IncludeObject.parse(single(q, INCLUDE_OBJECT));

        if (rv != null) {
            requireResourceVersion(rv);
        }
        List<String> errs = watch ? validateWatch(match, cont, sendInitialEvents) : validateList(rv, match, cont, sendInitialEvents);
        if (!errs.isEmpty()) {
            throw ApiException.badRequest("ListOptions.meta.k8s.io \"\" is invalid: " + GoText.aggregate(errs));
        }
        if (cont != null && rv != null && !"0".equals(rv)) {
            // k8s.io/apiserver pkg/storage: ValidateListOptions
            throw ApiException.badRequest("specifying resource version is not allowed when using continue");
        }
        return new ListOptions(labels, fields, limit == null ? 0 : limit, cont, rv, match, timeout, watch, bookmarks,
                include, pretty, sendInitialEvents);
    }

    /** k8s.io/apimachinery pkg/apis/meta/internalversion/validation: ValidateListOptions (non-watch). */
    private static List<String> validateList(String rv, String match, String cont, Boolean sendInitialEvents) {
        List<String> errs = new ArrayList<>();
        if (match != null) {
            if (rv == null) {
                errs.add(forbidden(RESOURCE_VERSION_MATCH, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
            }
            if (cont != null) {
                errs.add(forbidden(RESOURCE_VERSION_MATCH, "resourceVersionMatch is forbidden when continue is provided"));
            }
            if (!MATCH_EXACT.equals(match) && !MATCH_NOT_OLDER_THAN.equals(match)) {
                errs.add(RESOURCE_VERSION_MATCH + ": Unsupported value: " + GoText.quote(match)
                        + ": supported values: \"Exact\", \"NotOlderThan\", \"\"");
            }
            if (MATCH_EXACT.equals(match) && "0".equals(rv)) {
                errs.add(forbidden(RESOURCE_VERSION_MATCH, "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
            }
        }
        if (sendInitialEvents != null) {
            errs.add(forbidden(SEND_INITIAL_EVENTS, "sendInitialEvents is forbidden for list"));
        }
        return errs;
    }

    /** The watch branch of the same validation ({@code validateWatchOptions}), with the WatchList feature on. */
    private static List<String> validateWatch(String match, String cont, Boolean sendInitialEvents) {
        List<String> errs = new ArrayList<>();
        if (sendInitialEvents != null && !MATCH_NOT_OLDER_THAN.equals(match)) {
            errs.add(forbidden(RESOURCE_VERSION_MATCH, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        }
        if (match != null) {
            if (sendInitialEvents == null) {
                errs.add(forbidden(RESOURCE_VERSION_MATCH, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
            if (!MATCH_NOT_OLDER_THAN.equals(match)) {
                errs.add(RESOURCE_VERSION_MATCH + ": Unsupported value: " + GoText.quote(match)
                        + ": supported values: \"NotOlderThan\"");
            }
            if (cont != null) {
                errs.add(forbidden(RESOURCE_VERSION_MATCH, "resourceVersionMatch is forbidden when continue is provided"));
            }
        }
        return errs;
    }

    /**
     * A resourceVersion must be empty or an unsigned decimal number, as etcd3's
     * {@code APIObjectVersioner.ParseResourceVersion} requires; message as kube's list path words it.
     */
    public static long requireResourceVersion(String rv) {
        String problem = null;
        if (rv.isEmpty()) {
            problem = "invalid syntax";
        }
        for (int i = 0; problem == null && i < rv.length(); i++) {
            char c = rv.charAt(i);
            if (c < '0' || c > '9') {
                problem = "invalid syntax";
            }
        }
        long value = 0;
        if (problem == null) {
            try {
                value = Long.parseUnsignedLong(rv);
            } catch (NumberFormatException e) {
                problem = "value out of range";
            }
        }
        if (problem != null) {
            throw ApiException.badRequest("invalid resource version: " + GoText.invalid(RESOURCE_VERSION, rv,
                    "strconv.ParseUint: parsing " + GoText.quote(rv) + ": " + problem));
        }
        return value;
    }

    private static String forbidden(String path, String detail) {
        return path + ": Forbidden: " + detail;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** The one value of a parameter, null when absent; a repeated parameter is a 400. */
    private static String single(Map<String, List<String>> q, String name) {
        List<String> values = q.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            List<String> shown = values.size() > 5 ? values.subList(0, 5) : values;
            throw ApiException.badRequest(GoText.invalid(name, shown, "must not be given more than once"));
        }
        return values.get(0) == null ? "" : values.get(0);
    }

    private static boolean bool(Map<String, List<String>> q, String name) {
        String v = single(q, name);
        if (v == null) {
            return false;
        }
        return switch (v) {
            case "", "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw ApiException.badRequest(GoText.invalid(name, v, "must be true or false"));
        };
    }

    private static Long nonNegative(Map<String, List<String>> q, String name) {
        String v = single(q, name);
        if (v == null) {
            return null;
        }
        Long parsed = LabelSelector.parseInt64(v);
        if (parsed == null || parsed < 0) {
            throw ApiException.badRequest(GoText.invalid(name, v, "must be a non-negative integer"));
        }
        return parsed;
    }
}
