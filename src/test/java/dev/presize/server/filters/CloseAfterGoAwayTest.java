package dev.presize.server.filters;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An HTTP/2 connection closes once this server has sent GOAWAY and its last stream has closed, whatever the client
 * does (kube-apiserver 1.20's aggregator keeps such connections open: the real-aggregator check is
 * {@code RealKubeApiServerTest}). On an embedded channel, whose event loop runs only when told to.
 */
class CloseAfterGoAwayTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final DefaultHttp2Connection connection = new DefaultHttp2Connection(true);

    CloseAfterGoAwayTest() {
        CloseAfterGoAway.closeWhenDone(channel, connection);
    }

    @Test
    void anIdleConnectionClosesRightAfterGoAway() throws Http2Exception {
        connection.goAwaySent(0, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER);
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
    }

    @Test
    void aStreamInFlightIsServedToItsEndThenTheConnectionCloses() throws Http2Exception {
        Http2Stream first = connection.remote().createStream(1, false);
        Http2Stream second = connection.remote().createStream(3, false);
        connection.goAwaySent(3, Http2Error.NO_ERROR.code(), Unpooled.EMPTY_BUFFER);
        channel.runPendingTasks();
        assertTrue(channel.isOpen(), "two streams open");
        first.close();
        channel.runPendingTasks();
        assertTrue(channel.isOpen(), "one stream open");
        second.close();
        channel.runPendingTasks();
        assertFalse(channel.isOpen());
    }

    @Test
    void withoutGoAwayStreamsComeAndGoOnAnOpenConnection() throws Http2Exception {
        connection.remote().createStream(1, false).close();
        connection.remote().createStream(3, false).close();
        channel.runPendingTasks();
        assertTrue(channel.isOpen());
    }
}
