package dev.presize.security.tls;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * A hot publisher of the latest value: a new subscriber gets the current value at once, on its own
 * thread, then every later value. A slow subscriber only ever gets the newest value (older ones
 * are dropped), which is the right thing for key material. Reactor is not on our compile
 * classpath, and this is all the reactive machinery the key store needs.
 */
final class LatestValuePublisher<T> implements Publisher<T> {

    private final Set<Sub> subscribers = new CopyOnWriteArraySet<>();
    private volatile Versioned<T> latest;
    private long version;

    private record Versioned<T>(long version, T value) {
    }

    LatestValuePublisher(T initial) {
        latest = new Versioned<>(0, initial);
    }

    synchronized void publish(T value) {
        Versioned<T> v = new Versioned<>(++version, value);
        latest = v;
        for (Sub s : subscribers) {
            s.offer(v);
        }
    }

    @Override
    public void subscribe(Subscriber<? super T> subscriber) {
        Sub sub = new Sub(subscriber);
        subscribers.add(sub);
        subscriber.onSubscribe(sub);
        sub.offer(latest);
    }

    private final class Sub implements Subscription {
        private final Subscriber<? super T> subscriber;
        private Versioned<T> pending;
        private long delivered = -1;
        private long demand;
        private boolean emitting;
        private boolean cancelled;

        Sub(Subscriber<? super T> subscriber) {
            this.subscriber = subscriber;
        }

        synchronized void offer(Versioned<T> v) {
            if (v.version() > delivered && (pending == null || v.version() > pending.version())) {
                pending = v;
            }
            drain();
        }

        @Override
        public synchronized void request(long n) {
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("§3.9: request must be positive, was " + n));
                return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            drain();
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            pending = null;
            subscribers.remove(this);
        }

        // Runs under the lock; "emitting" stops recursion when onNext calls request().
        private void drain() {
            if (emitting) {
                return;
            }
            emitting = true;
            try {
                while (!cancelled && demand > 0 && pending != null) {
                    Versioned<T> v = pending;
                    pending = null;
                    delivered = v.version();
                    if (demand != Long.MAX_VALUE) {
                        demand--;
                    }
                    subscriber.onNext(v.value());
                }
            } finally {
                emitting = false;
            }
        }
    }
}
