package dev.presize.server.filters;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Stream;
import jakarta.inject.Singleton;

/**
 * Closes an HTTP/2 connection once this server has sent GOAWAY and no stream is left open on it, as
 * Go's HTTP/2 server (and so kube-apiserver) does on shutdown: golang.org/x/net/http2/server.go ends a
 * connection's serve loop when it is "in GOAWAY" with no open streams.
 *
 * <p>Micronaut's graceful shutdown sends GOAWAY and then waits for the client to close each HTTP/2
 * connection. Clients need not: the aggregator in kube-apiserver 1.20 (its vendored x/net http2
 * transport) only marks such a connection dead and keeps it open, idle, so every shutdown behind a real
 * aggregator waited the whole grace period ({@code --request-timeout}, 60 s) and ended with "Timeout hit
 * in graceful shutdown, forcing stop": past Kubernetes' default 30 s termination grace period, the pod
 * was SIGKILLed. Streams still open when GOAWAY goes out (a request in flight) are served to the end
 * first; the connection closes when the last one closes.
 */
@Singleton
@Requires(beans = NettyServerCustomizer.Registry.class)
final class CloseAfterGoAway implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Root());
        return event.getBean();
    }

    /** Follows {@code connection} (of {@code channel}): after our GOAWAY, closes the channel when no stream is active. */
    static void closeWhenDone(Channel channel, Http2Connection connection) {
        connection.addListener(new Http2ConnectionAdapter() {
            @Override
            public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
                closeIfDone(channel, connection);
            }

            @Override
            public void onStreamClosed(Http2Stream stream) {
                closeIfDone(channel, connection);
            }
        });
    }

    private static void closeIfDone(Channel channel, Http2Connection connection) {
        // Listeners run before the GOAWAY frame is written (and while the closed stream is still counted):
        // check and close in a later task of the connection's event loop, after the frame's flush.
        channel.eventLoop().execute(() -> {
            if (channel.isOpen() && connection.goAwaySent() && connection.numActiveStreams() == 0) {
                channel.close();
            }
        });
    }

    /** Lives as long as the server; makes one {@link OnConnection} per accepted connection. */
    private static final class Root implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new OnConnection(channel) : this;
        }
    }

    /** One connection: once its pipeline has the HTTP/2 handler (after ALPN chose h2), follows it. */
    private static final class OnConnection implements NettyServerCustomizer {
        private final Channel channel;
        private boolean following;

        OnConnection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return this;
        }

        @Override
        public void onInitialPipelineBuilt() {
            follow();
        }

        @Override
        public void onStreamPipelineBuilt() {
            follow();
        }

        private void follow() {
            if (following) {
                return;
            }
            Http2ConnectionHandler http2 = channel.pipeline().get(Http2ConnectionHandler.class);
            if (http2 != null) {
                following = true;
                closeWhenDone(channel, http2.connection());
            }
        }
    }
}
