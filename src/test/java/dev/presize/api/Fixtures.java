package dev.presize.api;

import dev.presize.v1beta1.ContainerRequests;
import dev.presize.v1beta1.ObjectMeta;
import dev.presize.v1beta1.Requests;
import dev.presize.v1beta1.ResourceAmounts;
import dev.presize.recommendations.Snapshot;
import dev.presize.v1beta1.Target;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Small builders shared by the tests of this package. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Requests requests(String namespace, String name) {
        return requests(namespace, name, Map.of("app", name));
    }

    public static Requests requests(String namespace, String name, Map<String, String> labels) {
        return new Requests(Requests.API_VERSION, Requests.KIND,
                new ObjectMeta(name, namespace, "2026-11-20T08:00:00Z", labels, "1795305262000"),
                new Target("apps/v1", "Deployment", name), "2026-11-21T10:00:00Z", "336h0m0s",
                new ResourceAmounts("250m", "320Mi"),
                List.of(new ContainerRequests("app", new ResourceAmounts("200m", "256Mi"), null, null, null),
                        new ContainerRequests("sidecar", new ResourceAmounts("50m", "64Mi"), null, null, null)),
                null, null);
    }

    /** Objects from "namespace/name" keys, sorted as the snapshot sorts them. */
    public static List<Requests> sorted(String... keys) {
        List<Requests> out = new ArrayList<>();
        Arrays.stream(keys).forEach(k -> {
            String[] p = k.split("/");
            out.add(requests(p[0], p[1]));
        });
        out.sort(Snapshot.ORDER);
        return out;
    }
}
