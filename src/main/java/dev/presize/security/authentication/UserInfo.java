package dev.presize.security.authentication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is asking, as k8s.io/apiserver's {@code user.DefaultInfo}: what authorization is decided on
 * and what later stages read from the request attribute {@link #ATTRIBUTE}.
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

    /** The request attribute holding the authenticated {@code UserInfo}. */
    public static final String ATTRIBUTE = "presize.security.user";

    public static final String ANONYMOUS = "system:anonymous";
    public static final String ALL_UNAUTHENTICATED = "system:unauthenticated";
    public static final String ALL_AUTHENTICATED = "system:authenticated";

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        extra.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        extra = Map.copyOf(copy);
    }

    public UserInfo(String name, List<String> groups) {
        this(name, "", groups, Map.of());
    }

    /** {@code system:anonymous} in {@code system:unauthenticated}, as the anonymous authenticator makes it. */
    public static UserInfo anonymous() {
        return new UserInfo(ANONYMOUS, List.of(ALL_UNAUTHENTICATED));
    }

    /**
     * Adds {@code system:authenticated} as k8s.io/apiserver's {@code AuthenticatedGroupAdder}
     * (pkg/authentication/group): not for {@code system:anonymous}, and not when either
     * {@code system:authenticated} or {@code system:unauthenticated} is already there.
     */
    UserInfo withAuthenticatedGroup() {
        if (ANONYMOUS.equals(name) || groups.contains(ALL_AUTHENTICATED) || groups.contains(ALL_UNAUTHENTICATED)) {
            return this;
        }
        List<String> more = new ArrayList<>(groups);
        more.add(ALL_AUTHENTICATED);
        return new UserInfo(name, uid, more, extra);
    }
}
