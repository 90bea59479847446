package dev.presize.api.listoptions;

import dev.presize.apimachinery.FieldSelector;
import dev.presize.apimachinery.LabelSelector;

import dev.presize.v1beta1.Requests;

import java.util.function.Predicate;

/**
 * The validated query parameters of a list or watch request (meta.k8s.io ListOptions plus the
 * Table {@code includeObject} option), as produced by {@link ListOptionsParser}.
 *
 * @param labelSelector        never null; {@link LabelSelector#everything()} when absent
 * @param fieldSelector        never null; {@link FieldSelector#everything()} when absent
 * @param limit                0 means no limit
 * @param continueToken        the raw {@code continue} value, or null; decode with {@link ContinueToken#decode}
 * @param resourceVersion      null when absent, else a decimal number (accepted, not used to pick a snapshot)
 * @param resourceVersionMatch null, {@code NotOlderThan} or {@code Exact}
 * @param timeoutSeconds       null when absent, else ≥ 0
 * @param sendInitialEvents    null when absent
 */
public record ListOptions(
        LabelSelector labelSelector,
        FieldSelector fieldSelector,
        long limit,
        String continueToken,
        String resourceVersion,
        String resourceVersionMatch,
        Long timeoutSeconds,
        boolean watch,
        boolean allowWatchBookmarks,
        IncludeObject includeObject,
        boolean pretty,
        Boolean sendInitialEvents) {

    public static final ListOptions DEFAULTS = new ListOptions(LabelSelector.everything(), FieldSelector.everything(),
            0, null, null, null, null, false, false, IncludeObject.METADATA, false, null);

    public ListOptions {
        labelSelector = labelSelector == null ? LabelSelector.everything() : labelSelector;
        fieldSelector = fieldSelector == null ? FieldSelector.everything() : fieldSelector;
        includeObject = includeObject == null ? IncludeObject.METADATA : includeObject;
    }

    /** True when neither selector restricts anything (kube then reports {@code remainingItemCount}). */
    public boolean selectsEverything() {
        return labelSelector.isEmpty() && fieldSelector.isEmpty();
    }

    /** Both selectors as one predicate for {@link Pager#page}, or null when they select everything. */
    public Predicate<Requests> filter() {
        if (selectsEverything()) {
            return null;
        }
        return r -> fieldSelector.matches(r) && labelSelector.matches(r.metadata().labels());
    }
}
