package dev.presize.security.tls;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LatestValuePublisherTest {

    @Test
    void currentValueOnSubscribeThenChangesConflatedToDemand() {
        LatestValuePublisher<String> p = new LatestValuePublisher<>("a");
        List<String> seen = new ArrayList<>();
        Subscription[] sub = new Subscription[1];
        p.subscribe(new Subscriber<>() {
            public void onSubscribe(Subscription s) {
                sub[0] = s;
                s.request(1);
            }
            public void onNext(String v) {
                seen.add(v);
            }
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }
            public void onComplete() {
            }
        });
        assertEquals(List.of("a"), seen, "delivered synchronously on the subscribing thread");
        p.publish("b");
        p.publish("c");
        assertEquals(List.of("a"), seen, "no demand, nothing delivered");
        sub[0].request(Long.MAX_VALUE);
        assertEquals(List.of("a", "c"), seen, "only the newest pending value");
        p.publish("d");
        sub[0].cancel();
        p.publish("e");
        assertEquals(List.of("a", "c", "d"), seen);
    }
}
