package dev.presize.api.listoptions;

import dev.presize.api.errors.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContinueTokenTest {

    /** What kube-apiserver's EncodeContinue writes for {rv 1795305262000, start "shop/checkout\0"}. */
    private static final String KUBE_TOKEN =
            "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTc5NTMwNTI2MjAwMCwic3RhcnQiOiJzaG9wL2NoZWNrb3V0XHUwMDAwIn0";

    @Test
    void encodesExactlyLikeKubeApiserver() {
        assertEquals(KUBE_TOKEN, new ContinueToken(1795305262000L, "shop", "checkout").encode());
    }

    @Test
    void decodesKubeApiserverTokens() {
        assertEquals(new ContinueToken(1795305262000L, "shop", "checkout"), ContinueToken.decode(KUBE_TOKEN));
    }

    @Test
    void roundTripsNamesWithDots() {
        ContinueToken t = new ContinueToken(7, "kube-system", "web.statefulset");
        assertEquals(t, ContinueToken.decode(t.encode()));
    }

    @Test
    void acceptsAStartKeyWithoutTheTrailingNul() {
        String json = "{\"v\":\"meta.k8s.io/v1\",\"rv\":5,\"start\":\"a/b\"}";
        assertEquals(new ContinueToken(5, "a", "b"), ContinueToken.decode(b64(json)));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // token | message
            "eyJ2IjoibWV0YS5rOHMuaW8vdjIiLCJydiI6NSwic3RhcnQiOiJhL2JcdTAwMDAifQ|continue key is not valid: server does not recognize this encoded version meta.k8s.io/v2",
            "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MCwic3RhcnQiOiJhL2IifQ|continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)",
            "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NSwic3RhcnQiOiIifQ|continue key is not valid: encoded start key empty (version meta.k8s.io/v1)",
            "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NSwic3RhcnQiOiIuLi9ldGMvcGFzc3dkIn0|continue key is not valid: ../etc/passwd",
            "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NSwic3RhcnQiOiJhL2IvYyJ9|continue key is not valid: a/b/c",
            "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6IjUiLCJzdGFydCI6ImEvYiJ9|continue key is not valid: field \"rv\" must be a 64-bit integer",
            "WzEsMl0|continue key is not valid: not a JSON object",
            "e3Y6MX0|continue key is not valid: malformed JSON",
            "abc=|continue key is not valid: illegal base64 data at input byte 3",
            "ab+c|continue key is not valid: illegal base64 data at input byte 2",
            "abcde|continue key is not valid: illegal base64 data at input byte 4",
            "é|continue key is not valid: illegal base64 data at input byte 0",
    })
    void rejectsBadTokensWithKubeMessages(String token, String message) {
        ApiException e = assertThrows(ApiException.class, () -> ContinueToken.decode(token));
        assertEquals(400, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void rejectsHostileTokens() {
        assertThrows(ApiException.class, () -> ContinueToken.decode(""));
        assertThrows(ApiException.class, () -> ContinueToken.decode("A".repeat(10_000)));
        assertThrows(ApiException.class, () -> ContinueToken.decode(b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1e30,\"start\":\"a/b\"}")));
        assertThrows(ApiException.class, () -> ContinueToken.decode(b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"A/b\"}")));
        assertThrows(ApiException.class, () -> ContinueToken.decode(b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"a/b\"} x")));
        assertThrows(ApiException.class, () -> ContinueToken.decode(b64("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[")));
        assertThrows(ApiException.class, () -> ContinueToken.decode(b64("{\"v\":\"meta.k8s.io/v1\",\"rv\":1,\"start\":\"a/\\u0000\"}")));
    }
}
