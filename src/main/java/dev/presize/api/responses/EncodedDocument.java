package dev.presize.api.responses;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A document encoded once (discovery, OpenAPI) and its strong ETag, quoted as kube-apiserver sends
 * it. Both documents are fixed for the life of the process, so they are served as bytes.
 */
public record EncodedDocument(byte[] body, String contentType, String etag) {

    public static EncodedDocument of(byte[] body, String contentType) {
        return new EncodedDocument(body, contentType, etagOf(body));
    }

    /** kube-apiserver's discovery ETag is a hash of the serialized document, so equal documents share it. */
    public static String etagOf(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
