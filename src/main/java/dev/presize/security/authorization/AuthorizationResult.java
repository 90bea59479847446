package dev.presize.security.authorization;

/**
 * An authorizer's answer, as Go's {@code (decision, reason, err)}: the reason is what the
 * authorizer says about its decision (appended to the Forbidden message), the error is set when
 * it could not decide (for logs; the request is then denied).
 */
public record AuthorizationResult(Decision decision, String reason, String error) {

    public static final AuthorizationResult NO_OPINION = new AuthorizationResult(Decision.NO_OPINION, "", null);

    public static AuthorizationResult allow(String reason) {
        return new AuthorizationResult(Decision.ALLOW, reason, null);
    }

    public static AuthorizationResult error(String error) {
        return new AuthorizationResult(Decision.NO_OPINION, "", error);
    }

    public boolean allowed() {
        return decision == Decision.ALLOW;
    }
}
