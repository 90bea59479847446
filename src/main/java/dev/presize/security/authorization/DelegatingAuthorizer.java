package dev.presize.security.authorization;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;

/**
 * The chain k8s.io/apiserver's {@code DelegatingAuthorizationOptions.toAuthorizer} builds
 * (pkg/server/options/authorization.go): privileged groups ({@code system:masters}), then the
 * always-allowed paths, then {@code SubjectAccessReview}, joined by {@code union.New}
 * (pkg/authorization/union): the first allow or deny wins; otherwise no opinion with all
 * reasons, which the filter turns into 403.
 */
@Singleton
public class DelegatingAuthorizer {

    private final List<Authorizer> chain;

    @Inject
    public DelegatingAuthorizer(PrivilegedGroupsAuthorizer groups, AlwaysAllowPathsAuthorizer paths, SubjectAccessReviewAuthorizer sar) {
        this(List.of(groups, paths, sar));
    }

    DelegatingAuthorizer(List<Authorizer> chain) {
        this.chain = List.copyOf(chain);
    }

    public AuthorizationResult authorize(AuthorizationAttributes attributes) {
        List<String> reasons = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Authorizer a : chain) {
            AuthorizationResult r = a.authorize(attributes);
            if (r.error() != null) {
                errors.add(r.error());
            }
            if (r.reason() != null && !r.reason().isEmpty()) {
                reasons.add(r.reason());
            }
            if (r.decision() != Decision.NO_OPINION) {
                return r;
            }
        }
        return new AuthorizationResult(Decision.NO_OPINION, String.join("\n", reasons), errors.isEmpty() ? null : String.join("; ", errors));
    }
}
