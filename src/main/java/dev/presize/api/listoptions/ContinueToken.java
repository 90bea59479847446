package dev.presize.api.listoptions;

import dev.presize.apimachinery.GoText;
import dev.presize.apimachinery.Names;

import dev.presize.api.errors.ApiException;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A {@code continue} token in kube-apiserver's format (k8s.io/apiserver {@code pkg/storage/continue.go}):
 * unpadded base64url of {@code {"v":"meta.k8s.io/v1","rv":<int64>,"start":"<namespace>/<name>\u0000"}}.
 * {@code start} is the first key to return: the last key served plus a NUL, so "start after". Our
 * keys are {@code namespace/name} whether the list was namespaced or not, so a token means the
 * same thing on every replica and in both kinds of list.
 *
 * @param resourceVersion the list resourceVersion of the first page (never 0)
 */
public record ContinueToken(long resourceVersion, String namespace, String name) {

    static final String VERSION = "meta.k8s.io/v1";
    /** Tokens are short; anything much longer than a key of maximal length is not one of ours. */
    private static final int MAX_LENGTH = 4096;

    private static final String INVALID = "continue key is not valid";
    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);

    public ContinueToken {
        if (resourceVersion == 0 || namespace == null || namespace.isEmpty() || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a continue token needs a resourceVersion and a key");
        }
    }

    public String encode() {
        JsonObject o = new JsonObject();
        o.addProperty("v", VERSION);
        o.addProperty("rv", resourceVersion);
        o.addProperty("start", namespace + "/" + name + "\u0000");
        return Base64.getUrlEncoder().withoutPadding().encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decodes a client's token.
     *
     * @throws ApiException 400 {@code continue key is not valid: ...} in kube-apiserver's words
     */
    public static ContinueToken decode(String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.badRequest(INVALID + ": empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw ApiException.badRequest(INVALID + ": too long");
        }
        byte[] data = decodeBase64(value);
        JsonObject o;
        try (JsonReader reader = new JsonReader(new StringReader(new String(data, StandardCharsets.UTF_8)))) {
            reader.setStrictness(Strictness.STRICT); // as strict as Go's encoding/json
            JsonElement e = ELEMENTS.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT || !e.isJsonObject()) {
                throw ApiException.badRequest(INVALID + ": not a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw ApiException.badRequest(INVALID + ": malformed JSON");
        }
        String version = string(o, "v");
        if (!VERSION.equals(version)) {
            throw ApiException.badRequest(INVALID + ": server does not recognize this encoded version " + version);
        }
        long rv = int64(o, "rv");
        if (rv == 0) {
            throw ApiException.badRequest(INVALID + ": incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
        String start = string(o, "start");
        if (start.isEmpty()) {
            throw ApiException.badRequest(INVALID + ": encoded start key empty (version meta.k8s.io/v1)");
        }
        String key = start.endsWith("\u0000") ? start.substring(0, start.length() - 1) : start;
        int slash = key.indexOf('/');
        String ns = slash < 0 ? "" : key.substring(0, slash);
        String name = slash < 0 ? "" : key.substring(slash + 1);
        // upstream refuses keys that path.Clean would change (traversal); ours must be exactly namespace/name
        if (!Names.isValidNamespace(ns) || !Names.isValidName(name)) {
            throw ApiException.badRequest(INVALID + ": " + start);
        }
        return new ContinueToken(rv, ns, name);
    }

    /** Go's base64.RawURLEncoding is strict: no padding, no other alphabet, no stray bits. */
    private static byte[] decodeBase64(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw ApiException.badRequest(INVALID + ": illegal base64 data at input byte " + i);
            }
        }
        if (value.length() % 4 == 1) {
            throw ApiException.badRequest(INVALID + ": illegal base64 data at input byte " + (value.length() - 1));
        }
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(INVALID + ": illegal base64 data at input byte " + (value.length() - 1));
        }
    }

    private static String string(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return "";
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw ApiException.badRequest(INVALID + ": field " + GoText.quote(field) + " must be a string");
        }
        return e.getAsString();
    }

    private static long int64(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return 0;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isNumber()) {
                try {
                    return new BigDecimal(p.getAsString()).longValueExact();
                } catch (ArithmeticException | NumberFormatException ignored) {
                    // falls through to the error below
                }
            }
        }
        throw ApiException.badRequest(INVALID + ": field " + GoText.quote(field) + " must be a 64-bit integer");
    }
}
