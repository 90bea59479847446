package dev.presize.security.authorization;

import dev.presize.api.RequestInfo;
import dev.presize.security.authentication.UserInfo;

import java.util.List;

/**
 * What is decided on (k8s.io/apiserver's {@code authorizer.Attributes}): who, and what they ask
 * for in Kubernetes terms, with the list's selectors as requirements (k8s 1.31+
 * {@code AuthorizeWithSelectors}; empty when absent or unparseable, since selectors only narrow).
 */
public record AuthorizationAttributes(UserInfo user, RequestInfo request, List<SelectorRequirement> fieldSelector,
                                      List<SelectorRequirement> labelSelector) {

    /** One requirement as {@code metav1.FieldSelectorRequirement} / {@code LabelSelectorRequirement}: In, NotIn, Exists, DoesNotExist. */
    public record SelectorRequirement(String key, String operator, List<String> values) {
        public SelectorRequirement {
            values = List.copyOf(values);
        }
    }

    public AuthorizationAttributes {
        fieldSelector = List.copyOf(fieldSelector);
        labelSelector = List.copyOf(labelSelector);
    }

    public AuthorizationAttributes(UserInfo user, RequestInfo request) {
        this(user, request, List.of(), List.of());
    }
}
