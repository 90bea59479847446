package dev.presize.security.authorization;

import dev.presize.security.SecurityConfigurationException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --authorization-always-allow-paths}, as k8s.io/apiserver's {@code path.NewAuthorizer}
 * (pkg/authorization/path): only non-resource requests; an exact path, or a prefix when the entry
 * ends in {@code *} (a {@code *} anywhere else is a configuration error); the leading {@code /}
 * does not matter.
 */
@Singleton
public class AlwaysAllowPathsAuthorizer implements Authorizer {

    private final Set<String> paths = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    @Inject
    public AlwaysAllowPathsAuthorizer(AuthorizationProperties properties) {
        this(properties.alwaysAllowPaths());
    }

    AlwaysAllowPathsAuthorizer(List<String> alwaysAllowPaths) {
        for (String raw : alwaysAllowPaths) {
            String p = raw.startsWith("/") ? raw.substring(1) : raw;
            if (p.isEmpty()) {
                paths.add(p);
                continue;
            }
            if (p.substring(0, p.length() - 1).contains("*")) {
                throw new SecurityConfigurationException("--authorization-always-allow-paths: only a trailing * is allowed in " + raw);
            }
            if (p.endsWith("*")) {
                prefixes.add(p.substring(0, p.length() - 1));
            } else {
                paths.add(p);
            }
        }
    }

    @Override
    public AuthorizationResult authorize(AuthorizationAttributes attributes) {
        if (attributes.request().resourceRequest()) {
            return AuthorizationResult.NO_OPINION;
        }
        String path = attributes.request().path();
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (paths.contains(p)) {
            return AuthorizationResult.allow("");
        }
        for (String prefix : prefixes) {
            if (p.startsWith(prefix)) {
                return AuthorizationResult.allow("");
            }
        }
        return AuthorizationResult.NO_OPINION;
    }
}
