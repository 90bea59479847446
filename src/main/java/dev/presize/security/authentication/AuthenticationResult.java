package dev.presize.security.authentication;

/**
 * The verdict of the whole chain: a user (possibly {@code system:anonymous}), or a failure (some
 * credential was presented and nothing authenticated the request) that must end in a 401.
 */
public record AuthenticationResult(UserInfo user, String failure) {

    public boolean failed() {
        return user == null;
    }
}
