package dev.presize.server.filters;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Passes a publisher through and runs an action exactly once when it completes, fails or is
 * cancelled: whatever way a request ends, its in-flight slot is given back.
 */
final class OnTerminate<T> implements Publisher<T> {

    private final Publisher<T> source;
    private final Runnable action;

    OnTerminate(Publisher<T> source, Runnable action) {
        this.source = source;
        this.action = action;
    }

    @Override
    public void subscribe(Subscriber<? super T> downstream) {
        AtomicBoolean once = new AtomicBoolean();
        Runnable release = () -> {
            if (once.compareAndSet(false, true)) {
                action.run();
            }
        };
        try {
            source.subscribe(new Subscriber<T>() {
                @Override
                public void onSubscribe(Subscription s) {
                    downstream.onSubscribe(new Subscription() {
                        @Override
                        public void request(long n) {
                            s.request(n);
                        }

                        @Override
                        public void cancel() {
                            release.run();
                            s.cancel();
                        }
                    });
                }

                @Override
                public void onNext(T item) {
                    downstream.onNext(item);
                }

                @Override
                public void onError(Throwable t) {
                    release.run();
                    downstream.onError(t);
                }

                @Override
                public void onComplete() {
                    release.run();
                    downstream.onComplete();
                }
            });
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }
}
