package dev.presize.security.authorization;

import dev.presize.api.RequestInfo;
import dev.presize.apimachinery.FieldSelector;
import dev.presize.apimachinery.LabelSelector;
import dev.presize.security.authorization.AuthorizationAttributes.SelectorRequirement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The list's selectors as SubjectAccessReview requirements, as k8s.io/apiserver does for
 * {@code list}, {@code watch} and {@code deletecollection} (RequestInfoFactory,
 * {@code GetAuthorizerAttributes}, the webhook's {@code fieldSelectorToAuthorizationAPI} and
 * {@code labelSelectorToAuthorizationAPI}): {@code =}, {@code ==}, {@code in} → In;
 * {@code !=}, {@code notin} → NotIn; exists → Exists; {@code !} → DoesNotExist; {@code gt}/{@code lt}
 * are left out. A selector that does not parse contributes nothing (selectors only narrow; the
 * request itself is then answered 400).
 */
public final class SelectorRequirements {

    private static final Set<String> VERBS = Set.of("list", "watch", "deletecollection");

    private SelectorRequirements() {
    }

    public static AuthorizationAttributes attributes(dev.presize.security.authentication.UserInfo user, RequestInfo info,
                                                     Map<String, List<String>> query) {
        if (!info.resourceRequest() || !VERBS.contains(info.verb())) {
            return new AuthorizationAttributes(user, info);
        }
        return new AuthorizationAttributes(user, info, field(first(query, "fieldSelector")), label(first(query, "labelSelector")));
    }

    static List<SelectorRequirement> field(String raw) {
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        try {
            List<SelectorRequirement> out = new ArrayList<>();
            for (FieldSelector.Term t : FieldSelector.parse(raw).terms()) {
                out.add(new SelectorRequirement(t.field(), t.equals() ? "In" : "NotIn", List.of(t.value())));
            }
            return out;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static List<SelectorRequirement> label(String raw) {
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        try {
            List<SelectorRequirement> out = new ArrayList<>();
            for (LabelSelector.Requirement r : LabelSelector.parse(raw).requirements()) {
                String op = switch (r.operator()) {
                    case IN, EQUALS, DOUBLE_EQUALS -> "In";
                    case NOT_IN, NOT_EQUALS -> "NotIn";
                    case EXISTS -> "Exists";
                    case DOES_NOT_EXIST -> "DoesNotExist";
                    case GREATER_THAN, LESS_THAN -> null;
                };
                if (op != null) {
                    out.add(new SelectorRequirement(r.key(), op, op.endsWith("Exist") || op.equals("Exists") ? List.of() : r.values()));
                }
            }
            return out;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String first(Map<String, List<String>> query, String key) {
        List<String> v = query.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
