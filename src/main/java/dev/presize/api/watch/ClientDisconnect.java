package dev.presize.api.watch;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpRequestWrapper;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;

/**
 * Ends a watch when its client goes away. A quiet watch writes nothing for minutes, and Micronaut
 * cancels a streamed body only when a write fails, so a killed {@code kubectl get -w} used to stay
 * registered until the watch's timeout (up to an hour by --min-request-timeout). kube-apiserver
 * ends a watch as soon as the request's context is cancelled, which net/http does when the
 * connection closes (HTTP/1.1) or the stream is reset (HTTP/2); here that is the close of the
 * request's Netty channel, which in Micronaut 4 is the connection (HTTP/2 streams are not child
 * channels; a reset stream cancels its body's subscription itself).
 */
final class ClientDisconnect {

    private ClientDisconnect() {
    }

    /**
     * Cancels {@code watcher} once the request's connection closes (at once if it has). The
     * listener is removed when the watch ends first: connections from the aggregator carry
     * watches for days, and each ended watch must not stay reachable from its connection.
     */
    static void endWithConnection(HttpRequest<?> request, Watcher watcher) {
        HttpRequest<?> r = request;
        while (r instanceof HttpRequestWrapper<?> wrapper) {
            r = wrapper.getDelegate();
        }
        if (r instanceof NettyHttpRequest<?> netty) {
            ChannelFuture closed = netty.getChannelHandlerContext().channel().closeFuture();
            GenericFutureListener<Future<? super Void>> listener = done -> watcher.cancel();
            closed.addListener(listener);
            watcher.whenEnded(() -> closed.removeListener(listener));
        }
    }
}
