package dev.presize.security.authorization;

import jakarta.inject.Singleton;

import java.util.Set;

/**
 * Members of {@code system:masters} may do anything, without asking the cluster, as
 * k8s.io/apiserver's {@code authorizerfactory.NewPrivilegedGroups} with the delegating
 * authorization's {@code AlwaysAllowGroups} default.
 */
@Singleton
public class PrivilegedGroupsAuthorizer implements Authorizer {

    static final Set<String> GROUPS = Set.of("system:masters");

    @Override
    public AuthorizationResult authorize(AuthorizationAttributes attributes) {
        for (String g : attributes.user().groups()) {
            if (GROUPS.contains(g)) {
                return AuthorizationResult.allow("");
            }
        }
        return AuthorizationResult.NO_OPINION;
    }
}
