package dev.presize.v1beta1;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ObjectMetaTest {

    @Test
    void labelsIterateInKeyOrderSoEveryReplicaSerializesTheSameBytes() {
        Map<String, String> labels = new HashMap<>();
        for (String k : List.of("zeta", "alpha", "mu", "beta", "omega", "kappa", "delta", "gamma", "pi", "tau")) {
            labels.put(k, "v");
        }
        ObjectMeta meta = new ObjectMeta("n", "ns", "2026-11-21T10:00:00Z", labels, null);
        assertEquals(List.of("alpha", "beta", "delta", "gamma", "kappa", "mu", "omega", "pi", "tau", "zeta"),
                List.copyOf(meta.labels().keySet()));
        assertEquals(null, new ObjectMeta("n", "ns", "t", Map.of(), null).labels());
    }
}
