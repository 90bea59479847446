package dev.presize.kubernetes;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.kubernetes.client.openapi.ApiException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;

/**
 * One line a person can act on for a call to the Kubernetes API that failed: the request and the
 * cause in words ({@code GET https://10.0.0.1:443/api/v1/pods: cannot connect: Connection refused},
 * {@code ...: HTTP 403 from the API server: pods is forbidden: ...}). The cause is taken from
 * {@link ApiException#getCode()} and the type of the I/O failure, never from message text;
 * {@code ApiException}'s own message is a multi-line dump and is not used.
 */
public final class KubernetesErrors {

    private static final int MAX_DETAIL = 200;

    private KubernetesErrors() {
    }

    /** {@code METHOD url: cause} for a failed call. */
    public static String describe(String method, String url, Throwable failure) {
        return method + " " + url + ": " + cause(failure);
    }

    /** {@code METHOD url: HTTP code from the API server: message} for an error status without an exception. */
    public static String describe(String method, String url, int code, String statusMessage) {
        return method + " " + url + ": " + status(code, statusMessage);
    }

    /** The cause in words: an error status, or what went wrong on the way. */
    static String cause(Throwable failure) {
        if (failure instanceof ApiException e && e.getCode() > 0) {
            return status(e.getCode(), statusMessage(e.getResponseBody()));
        }
        if (failure instanceof ApiException e && e.getCause() == null) {
            return oneLine(e.getMessage() == null ? "failed" : e.getMessage());
        }
        Throwable root = failure instanceof ApiException && failure.getCause() != null ? failure.getCause() : failure;
        String detail = deepestMessage(root);
        if (has(root, CertificateException.class) || has(root, SSLPeerUnverifiedException.class)) {
            return "TLS verification failed: " + detail;
        }
        if (has(root, SSLException.class)) {
            return "TLS handshake failed: " + detail;
        }
        if (has(root, ConnectException.class)) {
            return "cannot connect: " + detail;
        }
        if (has(root, UnknownHostException.class)) {
            return "unknown host: " + detail;
        }
        // OkHttp's read timeout is a SocketTimeoutException, its call timeout (the deadline over the
        // whole answer) an InterruptedIOException; both are InterruptedIOExceptions.
        if (has(root, InterruptedIOException.class)) {
            return "no answer in time";
        }
        if (has(root, IOException.class)) {
            return "I/O error: " + detail;
        }
        // client-java's Gson models reject an answer of the wrong shape with a RuntimeException.
        return "unreadable answer: " + detail;
    }

    private static String status(int code, String message) {
        return "HTTP " + code + " from the API server" + (message.isEmpty() ? "" : ": " + message);
    }

    /** The {@code message} of a {@code metav1.Status} body (none for another JSON object), else the body itself, shortened. */
    private static String statusMessage(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonElement e = JsonParser.parseString(body);
            if (e.isJsonObject()) {
                JsonElement message = e.getAsJsonObject().get("message");
                return message != null && message.isJsonPrimitive() ? oneLine(message.getAsString()) : "";
            }
        } catch (RuntimeException notJson) {
            // fall through to the raw body
        }
        return oneLine(body);
    }

    private static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String deepestMessage(Throwable t) {
        String message = null;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                message = c.getMessage();
            }
        }
        return message == null ? "failed" : oneLine(message);
    }

    static String oneLine(String s) {
        String line = s.replaceAll("\\s+", " ").trim();
        return line.length() > MAX_DETAIL ? line.substring(0, MAX_DETAIL) + "..." : line;
    }
}
