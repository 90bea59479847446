package dev.presize.api.watch;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.presize.v1beta1.ContainerRequests;
import dev.presize.v1beta1.ObjectMeta;
import dev.presize.v1beta1.Requests;
import dev.presize.v1beta1.ResourceAmounts;
import dev.presize.v1beta1.Target;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Objects and a recording subscriber for the watch tests. */
final class WatchFixtures {

    private WatchFixtures() {
    }

    /** An object as a refresh computes it (no resourceVersion yet). */
    static Requests object(String ns, String name, String cpu) {
        return object(ns, name, cpu, Map.of("app", name));
    }

    static Requests object(String ns, String name, String cpu, Map<String, String> labels) {
        return new Requests(Requests.API_VERSION, Requests.KIND,
                new ObjectMeta(name, ns, "2026-11-01T00:00:00Z", labels, null),
                new Target("apps/v1", "Deployment", name), "2026-11-21T10:00:00Z", "336h0m0s",
                new ResourceAmounts(cpu, "64Mi"),
                List.of(new ContainerRequests("app", new ResourceAmounts(cpu, "64Mi"), null, null, null)),
                null, null);
    }

    /** One decoded watch event. */
    record Event(String type, JsonObject object) {
        String name() {
            JsonObject meta = object.getAsJsonObject("metadata");
            return meta != null && meta.has("name") ? meta.get("name").getAsString() : null;
        }

        String resourceVersion() {
            return object.getAsJsonObject("metadata").get("resourceVersion").getAsString();
        }

        String cpu() {
            return object.getAsJsonObject("resources").get("cpu").getAsString();
        }

        @Override
        public String toString() {
            return type + " " + name();
        }
    }

    /**
     * Records what a watch stream delivers. Demand is explicit ({@link #request}) so tests can play
     * a slow client; events are read with {@link #next}, which waits (never asserts on time).
     */
    static final class Recorder implements Subscriber<byte[]> {
        final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        final List<byte[]> chunks = new ArrayList<>();
        volatile Subscription subscription;
        volatile boolean completed;
        volatile Throwable error;
        private final long initialDemand;
        private StringBuilder partial = new StringBuilder();
        private static final Object COMPLETE = new Object();

        Recorder(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        static Recorder unbounded() {
            return new Recorder(Long.MAX_VALUE);
        }

        void request(long n) {
            subscription.request(n);
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            if (initialDemand > 0) {
                s.request(initialDemand);
            }
        }

        @Override
        public synchronized void onNext(byte[] chunk) {
            chunks.add(chunk);
            partial.append(new String(chunk, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, nl);
                partial = new StringBuilder(partial.substring(nl + 1));
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                signals.add(new Event(o.get("type").getAsString(), o.getAsJsonObject("object")));
            }
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            signals.add(t);
        }

        @Override
        public void onComplete() {
            completed = true;
            signals.add(COMPLETE);
        }

        /** The next event; fails if the stream ends first or nothing comes within a generous bound. */
        Event next() throws InterruptedException {
            Object s = signals.poll(30, TimeUnit.SECONDS);
            if (s instanceof Event e) {
                return e;
            }
            throw new AssertionError("expected an event, got " + (s == COMPLETE ? "the end of the stream" : s));
        }

        List<Event> next(int n) throws InterruptedException {
            List<Event> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(next());
            }
            return out;
        }

        /** Waits for the end of the stream; fails on an event or an error instead. */
        void awaitEnd() throws InterruptedException {
            Object s = signals.poll(30, TimeUnit.SECONDS);
            if (s != COMPLETE) {
                throw new AssertionError("expected the end of the stream, got " + s);
            }
        }
    }
}
