package dev.presize.security.authentication;

/**
 * One authenticator's answer, as Go's {@code (response, ok, err)}: a user; no opinion (this
 * authenticator's credential is absent); or an error (the credential is present and failed).
 */
public record Outcome(UserInfo user, String error) {

    private static final Outcome NONE = new Outcome(null, null);

    public static Outcome none() {
        return NONE;
    }

    public static Outcome of(UserInfo user) {
        return new Outcome(user, null);
    }

    public static Outcome failed(String error) {
        return new Outcome(null, error);
    }

    public boolean authenticated() {
        return user != null;
    }

    public boolean failed() {
        return error != null;
    }
}
