package dev.presize.e2e;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.presize.history.prometheus.MetricsEngine;
import dev.presize.history.prometheus.OpenMetricsWriter;
import dev.presize.history.prometheus.PrometheusProcess;
import dev.presize.history.prometheus.VictoriaMetricsProcess;
import io.kubernetes.client.custom.Quantity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EngineEndToEndTest} against a real single-node VictoriaMetrics (Debian's 1.79), loaded through
 * {@code /api/v1/import/prometheus}: every check of the base class holds here too, exactly, against the
 * model fed from VictoriaMetrics' own answers.
 *
 * <p>And the served objects must be those the same model makes from the same samples in a real
 * Prometheus, within {@link #CPU_TOLERANCE} for CPU amounts and {@link #MEMORY_TOLERANCE} for memory's;
 * everything else (names, kinds, models, conditions) equal, the model's sample count within
 * {@link #SAMPLES_TOLERANCE} and its confidence within {@link #CONFIDENCE_TOLERANCE}. Why CPU differs: MetricsQL's {@code rate} does not
 * extrapolate and starts from the last sample before its window, so each 5-minute rate covers a window
 * one point spacing earlier than Prometheus'. On this test's data (points 60 s apart, usage constant
 * within each 5-minute interval and stepping at its edges) that blends 30 s of the previous interval
 * in, {@code 0.9 c(i) + 0.1 c(i-1)}, which shaves up to 10 % off an hour's peaks, and after a gap in a
 * series spreads the increase over the gap (and yields a rate from a single point, hence a few more
 * samples). Memory is {@code max_over_time} of a gauge and OOM kills a gauge too: both engines agree.
 * No query Presize could send to both agrees better and is still a counter rate: {@code deriv} agrees
 * to 1e-11 here but is a least-squares slope (meant for gauges, blind to counter resets), and
 * VictoriaMetrics 1.79 has no {@code rate_prometheus}.
 *
 * <p>Measured (the line this test prints, "VictoriaMetrics vs Prometheus"): CPU requests 8.6 %, pod
 * totals 8.1 %, lower bounds 82 %, upper bounds 52 % ({@link #CPU_BOUND_TOLERANCE} says why); memory 0;
 * sample count 0.06 %; confidence 0.12. Since 12a9f79 (the calibration's first replayed day is not
 * scored, so the prices rest on 10 of this test's days instead of 11): CPU requests and pod totals
 * 16.6 % (shop/web's 561m vs 468m, a price step), lower bounds 20 %, upper bounds 8.3 %, confidence 0.03.
 * Since the slice has 14 days (CPU sized by the calibrated prices, not the cold start's level, which
 * 12 days left in force): CPU requests 54 % and pod totals 45 % (node-agent's agent, 50m vs 23m: the
 * prices of nine containers, a grid step apart), lower bounds 19 %, upper bounds 74 %, confidence
 * 0.11; and memory 9.2 % (backup's 3384Mi vs 3Gi): its CPU request moved up on one engine and not
 * the other, and a CPU move up takes memory to its best candidate in the same restart instead of the
 * request in force (LearnedStrategy, "one restart for both"). The served objects equal, field for
 * field, what the model makes from each engine's own samples ({@link EngineEndToEndTest}); this test
 * bounds how far the engines' few per cent of CPU carry through a nine-container calibration.
 */
class VictoriaMetricsEndToEndTest extends EngineEndToEndTest {

    /**
     * Largest relative difference of a CPU request or pod total: measured 13.4 %, then 16.6 % since
     * 12a9f79, 54 % since the slice's 14 days (class comment): prices calibrated on nine containers
     * move by a grid step when their CPU moves by the few per cent the engines' rates differ, and a
     * small container's request moves with them by several ladder steps.
     */
    static final double CPU_TOLERANCE = 0.6;
    /**
     * Memory amounts: equal while nothing else moves them (the engines agree on memory), 9.2 % apart
     * where one engine's CPU request moved up and took memory to its best in the same restart
     * (class comment).
     */
    static final double MEMORY_TOLERANCE = 0.1;
    /**
     * Memory bounds. Since the memory floor (c7b7f05's, and 517c9de's two windows alike) backup's best
     * memory candidate is the floor's, and so is the one at the stricter target: on the engine
     * whose CPU moved up, memory serves that best and the upper bound is the lower one mirrored
     * above it (docs/api.md), request² / lower; on the other it keeps the request in force, under
     * the best, and the upper bound is the stricter target's candidate. The two differ by the
     * request's 9.2 % and the mirror's step: measured 11.1 % (3808Mi vs 3384Mi) with either floor.
     */
    static final double MEMORY_BOUND_TOLERANCE = 0.15;
    /**
     * The model's sample count: VictoriaMetrics finds a rate at a few gap edges where Prometheus has
     * none (measured 0.06 %, 0.12 % on the 14-day slice, whose VMs all have a gap on 2 August).
     */
    static final double SAMPLES_TOLERANCE = 0.002;
    /**
     * CPU bounds, relative to Prometheus'. The bounds are the requests at 4 × looser and 4 × stricter
     * targets, chosen from each container's ladder at prices calibrated on this test's nine
     * containers: a few percent of CPU moves the prices across a grid step, and a small container's
     * bound by several ladder steps (measured: node-agent's lower bound 17m vs 31m, its upper bound
     * 71m vs 34m, with its request 35m vs 32m). On a cluster of hundreds of containers the prices
     * are steadier; here the test only holds the bounds to the same order of size.
     */
    static final double CPU_BOUND_TOLERANCE = 1.0;
    /** The model's confidence, absolute: it follows the bounds' tightness (measured 0.12, node-agent). */
    static final double CONFIDENCE_TOLERANCE = 0.15;

    private PrometheusProcess reference;

    @Override
    MetricsEngine startEngine(OpenMetricsWriter data, Path dir) throws IOException, InterruptedException {
        // The same samples in Prometheus, to compare the recommendations with.
        reference = PrometheusProcess.start(data, Files.createDirectories(dir.resolve("prometheus")));
        return VictoriaMetricsProcess.start(data, Files.createDirectories(dir.resolve("victoria-metrics")));
    }

    @AfterAll
    void stopReference() throws InterruptedException {
        if (reference != null) {
            reference.close();
        }
    }

    @Test
    @Order(1)
    void theServedObjectsAreWithinTheToleranceOfWhatTheModelRecommendsFromPrometheusSamples() throws Exception {
        JsonArray served = list(ALL);
        Map<String, JsonObject> fromPrometheus = expected(reference.url(), TraceCluster.END, TraceCluster.END);
        assertEquals(new ArrayList<>(fromPrometheus.keySet()), names(served));
        Differences d = new Differences();
        for (JsonElement e : served) {
            JsonObject o = e.getAsJsonObject();
            d.compare(name(o), fromPrometheus.get(name(o)), o);
        }
        String summary = d.summary();
        System.out.println("VictoriaMetrics vs Prometheus, served objects:" + summary);
        assertTrue(d.mismatches.isEmpty(), String.join("\n", d.mismatches));
        d.relative.forEach((key, rel) -> {
            double tolerance = key.endsWith("Bound.memory") ? MEMORY_BOUND_TOLERANCE
                    : key.endsWith(".memory") ? MEMORY_TOLERANCE : key.endsWith("Bound.cpu") ? CPU_BOUND_TOLERANCE
                    : key.endsWith(".cpu") ? CPU_TOLERANCE : key.equals("model.samples") ? SAMPLES_TOLERANCE : -1;
            if (tolerance >= 0) {
                assertTrue(rel <= tolerance, key + " differs by " + rel + " > " + tolerance + ":" + summary);
            }
        });
        assertTrue(d.absolute.getOrDefault("model.confidence", 0.0) <= CONFIDENCE_TOLERANCE, summary);
        // Every numeric field is one of those: a new one must get a stated tolerance here.
        assertEquals(java.util.Set.of("model.confidence", "model.samples"), d.numbers, summary);
    }

    /** Field-by-field comparison: quantities and numbers as relative differences, everything else equal. */
    static final class Differences {
        final List<String> mismatches = new ArrayList<>();
        /** Per amount ("requests.cpu", ...) or numeric field ("model.samples"): the largest relative difference. */
        final Map<String, Double> relative = new TreeMap<>();
        /** The same, absolute. */
        final Map<String, Double> absolute = new TreeMap<>();
        /** Where each largest relative difference is. */
        final Map<String, String> where = new TreeMap<>();
        /** The numeric fields other than amounts. */
        final java.util.Set<String> numbers = new java.util.TreeSet<>();

        void compare(String path, JsonElement reference, JsonElement actual) {
            if (reference == null || actual == null || reference.isJsonNull() || actual.isJsonNull()) {
                if (!(reference == null || reference.isJsonNull()) || !(actual == null || actual.isJsonNull())) {
                    mismatches.add(path + ": " + reference + " vs " + actual);
                }
            } else if (reference.isJsonObject() && actual.isJsonObject()) {
                JsonObject r = reference.getAsJsonObject();
                JsonObject a = actual.getAsJsonObject();
                if (!r.keySet().equals(a.keySet())) {
                    mismatches.add(path + ": fields " + r.keySet() + " vs " + a.keySet());
                    return;
                }
                for (String k : r.keySet()) {
                    compare(path + "." + k, r.get(k), a.get(k));
                }
            } else if (reference.isJsonArray() && actual.isJsonArray()) {
                JsonArray r = reference.getAsJsonArray();
                JsonArray a = actual.getAsJsonArray();
                if (r.size() != a.size()) {
                    mismatches.add(path + ": " + r.size() + " vs " + a.size() + " elements");
                    return;
                }
                for (int i = 0; i < r.size(); i++) {
                    compare(path + "[" + i + "]", r.get(i), a.get(i));
                }
            } else if (reference.isJsonPrimitive() && actual.isJsonPrimitive()) {
                String field = path.substring(path.lastIndexOf('.') + 1);
                if (field.equals("cpu") || field.equals("memory")) {
                    String parent = path.substring(0, path.lastIndexOf('.'));
                    record(parent.substring(parent.lastIndexOf('.') + 1) + "." + field, path, new Quantity(reference.getAsString()).getNumber().doubleValue(),
                            new Quantity(actual.getAsString()).getNumber().doubleValue());
                } else if (reference.getAsJsonPrimitive().isNumber() && actual.getAsJsonPrimitive().isNumber()) {
                    String parent = path.substring(0, path.lastIndexOf('.'));
                    String key = parent.substring(parent.lastIndexOf('.') + 1) + "." + field;
                    numbers.add(key);
                    record(key, path, reference.getAsDouble(), actual.getAsDouble());
                } else if (!reference.equals(actual)) {
                    mismatches.add(path + ": " + reference + " vs " + actual);
                }
            } else {
                mismatches.add(path + ": " + reference + " vs " + actual);
            }
        }

        private void record(String key, String path, double reference, double actual) {
            double abs = Math.abs(actual - reference);
            double rel = reference == actual ? 0 : abs / Math.abs(reference);
            absolute.merge(key, abs, Math::max);
            if (!relative.containsKey(key) || rel > relative.get(key)) {
                relative.put(key, rel);
                where.put(key, path + ": " + reference + " vs " + actual);
            }
        }

        /** One line per amount or field: largest relative and absolute difference, and where (Prometheus vs VictoriaMetrics). */
        String summary() {
            StringBuilder sb = new StringBuilder();
            relative.forEach((k, v) -> sb.append(String.format("%n  %-18s max relative %.4f, absolute %.4g (%s)", k, v,
                    absolute.get(k), where.get(k))));
            return sb.toString();
        }
    }
}
