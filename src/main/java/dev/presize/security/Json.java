package dev.presize.security;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict readers for the few fields Presize takes from Kubernetes API answers. Anything of the
 * wrong shape is an {@link IllegalArgumentException}: an answer we cannot read is never taken as
 * a yes.
 */
public final class Json {

    private Json() {
    }

    public static JsonObject object(byte[] body) {
        JsonElement e;
        try {
            e = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException("not JSON");
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return e.getAsJsonObject();
    }

    /** The object under {@code key}, an empty one when absent or null. */
    public static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return new JsonObject();
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(key + " is not an object");
        }
        return e.getAsJsonObject();
    }

    public static boolean bool(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return false;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw new IllegalArgumentException(key + " is not a boolean");
        }
        return e.getAsBoolean();
    }

    public static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return "";
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(key + " is not a string");
        }
        return e.getAsString();
    }

    public static List<String> strings(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        return strings(e, key);
    }

    private static List<String> strings(JsonElement e, String key) {
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException(key + " is not an array");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : (JsonArray) e) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException(key + " holds a non-string");
            }
            out.add(item.getAsString());
        }
        return out;
    }

    /** A {@code map[string][]string} such as a user's extra. */
    public static Map<String, List<String>> stringLists(JsonObject o, String key) {
        JsonObject m = object(o, key);
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : m.entrySet()) {
            out.put(e.getKey(), e.getValue().isJsonNull() ? List.of() : strings(e.getValue(), key + "." + e.getKey()));
        }
        return out;
    }

    /** A {@code map[string]string} such as a ConfigMap's data. */
    public static Map<String, String> stringMap(JsonObject o, String key) {
        JsonObject m = object(o, key);
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : m.keySet()) {
            out.put(k, string(m, k));
        }
        return out;
    }
}
