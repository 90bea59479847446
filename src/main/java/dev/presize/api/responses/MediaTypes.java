package dev.presize.api.responses;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The media types Presize serves and the parsing of an {@code Accept} header into ranked clauses,
 * as kube-apiserver does it with github.com/munnerz/goautoneg ({@code ParseAccept}): clauses split
 * on commas, parameters on semicolons, {@code q} defaulting to 1 (an unparsable {@code q} counts as
 * 0), ordered by {@code q} and then by specificity ({@code a/b} before {@code a/*} before
 * {@code *}{@code /*}), ties in header order. A {@code q=0} clause is still considered, as in kube.
 */
public final class MediaTypes {

    public static final String APPLICATION_JSON = "application/json";
    public static final String APPLICATION_YAML = "application/yaml";

    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";
    /** Aggregated discovery (apidiscovery.k8s.io), labelled as kube-apiserver labels the response. */
    public static final String DISCOVERY_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    public static final String DISCOVERY_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    /** Everything we can encode, in order of preference; the first is the default. */
    public static final List<String> SERVED = List.of(APPLICATION_JSON, APPLICATION_YAML);

    /** Headers longer than this are not parsed further than this; real ones are far shorter. */
    static final int MAX_HEADER_LENGTH = 8192;

    /** One media range of an Accept header. Type and subtype are lower case; parameter names as sent. */
    public record Clause(String type, String subType, double q, Map<String, String> params) {
        public Clause {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    private MediaTypes() {
    }

    public static List<Clause> parseAccept(String header) {
        List<Clause> clauses = new ArrayList<>();
        if (header == null) {
            return clauses;
        }
        String h = header.length() > MAX_HEADER_LENGTH ? header.substring(0, MAX_HEADER_LENGTH) : header;
        for (String rawPart : h.split(",", -1)) {
            String part = trimSpaces(rawPart);
            String[] mrp = part.split(";", -1);
            String[] sp = mrp[0].split("/", -1);
            String type = trimSpaces(sp[0]).toLowerCase(Locale.ROOT);
            String subType;
            if (sp.length == 1 && type.equals("*")) {
                subType = "*";
            } else if (sp.length == 2) {
                subType = trimSpaces(sp[1]).toLowerCase(Locale.ROOT);
            } else {
                continue;
            }
            double q = 1.0;
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 1; i < mrp.length; i++) {
                int eq = mrp[i].indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String token = trimSpaces(mrp[i].substring(0, eq));
                String value = mrp[i].substring(eq + 1);
                if (token.equals("q")) {
                    q = parseQ(value);
                } else {
                    params.put(token, trimSpaces(value));
                }
            }
            clauses.add(new Clause(type, subType, q, params));
        }
        clauses.sort(Comparator.comparingDouble(Clause::q).reversed()
                .thenComparing(c -> c.type().equals("*"))
                .thenComparing(c -> c.subType().equals("*")));
        return clauses;
    }

    /** Go's {@code strconv.ParseFloat(s, 32)} ignoring the error, so garbage is 0; no surrounding spaces allowed. */
    private static double parseQ(String s) {
        if (s.isEmpty() || !s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return 0;
        }
        try {
            return (float) Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** goautoneg trims only spaces ({@code strings.Trim(s, " ")}). */
    private static String trimSpaces(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(start, end);
    }
}
