package dev.presize.kubernetes;

import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;

import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** client-java informer factories on daemon threads, so a running informer never keeps the JVM alive. */
public final class Informers {

    private Informers() {
    }

    /**
     * A factory for informers whose lister-watchers bring their own clients; {@code watches} must
     * have no read timeout (client-java's factory checks).
     */
    public static SharedInformerFactory factory(ApiClient watches, String threadName) {
        AtomicInteger n = new AtomicInteger();
        return new SharedInformerFactory(watches, Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
    }
}
