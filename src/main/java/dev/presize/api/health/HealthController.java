package dev.presize.api.health;

import dev.presize.api.errors.ApiException;
import dev.presize.api.responses.MediaTypes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;

import java.util.List;
import java.util.Map;

/**
 * {@code /livez}, {@code /readyz}, {@code /healthz} in k8s.io/apiserver/pkg/server/healthz's format:
 * {@code ok}, or with {@code ?verbose} one {@code [+]name ok} line per check and a closing line;
 * {@code /<endpoint>/<check>} runs a single check. Readiness deliberately does not wait for a
 * first recommendation snapshot: the aggregator marks the whole APIService unavailable when no
 * pod is ready, and discovery must keep answering while Prometheus is unreachable.
 */
@Controller
@Produces(MediaTypes.TEXT_PLAIN)
public class HealthController {

    private final Map<String, List<HealthCheck>> checks;

    public HealthController(List<HealthCheck> all) {
        this.checks = Map.of(
                "livez", all.stream().filter(HealthCheck::liveness).toList(),
                "readyz", all.stream().filter(HealthCheck::readiness).toList(),
                "healthz", all.stream().filter(HealthCheck::readiness).toList());
    }

    @Get("/{endpoint:livez|readyz|healthz}")
    public HttpResponse<String> all(String endpoint, HttpRequest<?> request) {
        List<HealthCheck> selected = checks.get(endpoint);
        List<String> excluded = request.getParameters().getAll("exclude");
        StringBuilder verbose = new StringBuilder();
        boolean failed = false;
        for (HealthCheck check : selected) {
            if (excluded.contains(check.name())) {
                verbose.append("[+]").append(check.name()).append(" excluded: ok\n");
                continue;
            }
            String problem = check.check();
            if (problem == null) {
                verbose.append("[+]").append(check.name()).append(" ok\n");
            } else {
                failed = true;
                verbose.append("[-]").append(check.name()).append(" failed: ").append(problem).append('\n');
            }
        }
        boolean showVerbose = request.getParameters().contains("verbose") || failed;
        String body;
        if (showVerbose) {
            body = verbose + endpoint + " check " + (failed ? "failed" : "passed") + "\n";
        } else {
            body = "ok";
        }
        return text(failed ? 500 : 200, body);
    }

    @Get("/{endpoint:livez|readyz|healthz}/{name}")
    public HttpResponse<String> one(String endpoint, String name) {
        HealthCheck check = checks.get(endpoint).stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(ApiException::pathNotFound);
        String problem = check.check();
        return problem == null ? text(200, "ok") : text(500, "internal server error: " + problem + "\n");
    }

    private static MutableHttpResponse<String> text(int code, String body) {
        return HttpResponse.<String>status(io.micronaut.http.HttpStatus.valueOf(code))
                .contentType(MediaTypes.TEXT_PLAIN)
                .header("X-Content-Type-Options", "nosniff")
                .body(body);
    }
}
