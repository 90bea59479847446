package dev.presize.kubernetes;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.credentials.Authentication;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The pod's projected service-account token, sent as {@code Authorization: Bearer} on every
 * request of every client that shares this instance. The kubelet rotates the file (a new token at
 * 80% of its lifetime, swapped in through the volume's {@code ..data} symlink), so it is read
 * again at most every {@link #REFRESH} and at once after a 401, as client-go's in-cluster
 * configuration does ({@code transport.NewCachedFileTokenSource}, one minute, and
 * {@code ResettableTokenSource}, reset on 401). A request that got a 401 is sent once more when
 * the file now holds a different token, so the request that notices a rotation does not fail.
 *
 * <p>client-java's {@code TokenFileAuthentication} (what {@code ClientBuilder.cluster()} uses)
 * re-reads only once a minute and never after a 401, and each {@code cluster()} builder has its
 * own copy; one instance here serves all of Presize's clients.
 */
final class ServiceAccountToken implements Authentication, Interceptor {

    /** client-go's period: half the time between the kubelet's refresh and the old token's expiry. */
    static final Duration REFRESH = Duration.ofMinutes(1);

    private final Path file;
    private final Clock clock;
    private String token;
    private Instant readAt = Instant.MIN;

    ServiceAccountToken(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    @Override
    public void provide(ApiClient client) {
        client.setHttpClient(client.getHttpClient().newBuilder().addInterceptor(this).build());
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String sent = current(false);
        Response response = chain.proceed(withToken(chain.request(), sent));
        if (response.code() != 401) {
            return response;
        }
        String fresh = current(true);
        if (fresh.equals(sent)) {
            return response;
        }
        response.close();
        return chain.proceed(withToken(chain.request(), fresh));
    }

    /** The token, read again when older than {@link #REFRESH} or when {@code reread}. */
    synchronized String current(boolean reread) throws IOException {
        Instant now = clock.instant();
        if (reread || token == null || !now.isBefore(readAt.plus(REFRESH))) {
            token = Files.readString(file, StandardCharsets.UTF_8).trim();
            readAt = now;
        }
        return token;
    }

    private static Request withToken(Request request, String token) {
        return request.newBuilder().header("Authorization", "Bearer " + token).build();
    }
}
