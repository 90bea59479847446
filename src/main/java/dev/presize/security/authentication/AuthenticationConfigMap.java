package dev.presize.security.authentication;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.presize.security.tls.PemFiles;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads ConfigMap {@code kube-system/extension-apiserver-authentication}, which kube-apiserver
 * keeps up to date for every extension server: {@code client-ca-file} (PEM), and for the front
 * proxy {@code requestheader-client-ca-file} (PEM) with {@code requestheader-allowed-names},
 * {@code -username-headers}, {@code -group-headers} and {@code -extra-headers-prefix} (JSON string
 * arrays), as k8s.io/apiserver's {@code RequestHeaderAuthRequestController} and
 * {@code ConfigMapCAController} read them (pkg/server/options/authenticationconfigmap,
 * pkg/server/dynamiccertificates).
 */
final class AuthenticationConfigMap {

    static final String NAMESPACE = "kube-system";
    static final String NAME = "extension-apiserver-authentication";

    /** What the ConfigMap says: the client CA (empty if absent) and the front proxy ({@code null} if no CA). */
    record Contents(List<X509Certificate> clientCa, RequestHeaderConfig requestHeader) {
        static final Contents EMPTY = new Contents(List.of(), null);
    }

    private AuthenticationConfigMap() {
    }

    /** @throws IllegalArgumentException naming the key whose value cannot be used */
    static Contents parse(Map<String, String> data) {
        List<X509Certificate> clientCa = certificates(data, "client-ca-file");
        List<X509Certificate> requestHeaderCa = certificates(data, "requestheader-client-ca-file");
        RequestHeaderConfig requestHeader = requestHeaderCa.isEmpty() ? null : new RequestHeaderConfig(requestHeaderCa,
                strings(data, "requestheader-allowed-names"),
                strings(data, "requestheader-username-headers"),
                strings(data, "requestheader-group-headers"),
                strings(data, "requestheader-extra-headers-prefix"));
        return new Contents(clientCa, requestHeader);
    }

    private static List<X509Certificate> certificates(Map<String, String> data, String key) {
        String pem = data.getOrDefault(key, "");
        if (pem.isBlank()) {
            return List.of();
        }
        try {
            return PemFiles.parseCertificates(pem.getBytes(StandardCharsets.US_ASCII), key);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** A JSON array of strings, as k8s's {@code deserializeStrings}; absent or empty is an empty list. */
    private static List<String> strings(Map<String, String> data, String key) {
        String json = data.getOrDefault(key, "");
        if (json.isEmpty()) {
            return List.of();
        }
        JsonElement e;
        try {
            e = JsonParser.parseString(json);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(key + ": not a JSON array of strings");
        }
        if (e.isJsonNull()) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException(key + ": not a JSON array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement item : (JsonArray) e) {
            if (!item.isJsonPrimitive() || !item.getAsJsonPrimitive().isString()) {
                throw new IllegalArgumentException(key + ": not a JSON array of strings");
            }
            out.add(item.getAsString());
        }
        return out;
    }
}
