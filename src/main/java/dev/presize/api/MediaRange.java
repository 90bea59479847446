package dev.presize.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One entry of an {@code Accept} header: {@code type/subtype;param=value;q=0.5}. Kubernetes puts
 * meaning into parameters ({@code as=Table;v=v1;g=meta.k8s.io}), so they are kept, lower-cased
 * names, values as sent.
 */
public record MediaRange(String type, String subtype, Map<String, String> params, double q) {

    /** Parses a header into ranges ordered by preference: q descending, then header order. */
    public static List<MediaRange> parseAccept(String header) {
        List<MediaRange> ranges = new ArrayList<>();
        if (header == null || header.isBlank()) {
            ranges.add(new MediaRange("*", "*", Map.of(), 1.0));
            return ranges;
        }
        if (header.length() > 4096) {
            throw ApiException.badRequest("the Accept header is too long");
        }
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            String[] pieces = p.split(";");
            String full = pieces[0].trim().toLowerCase(Locale.ROOT);
            int slash = full.indexOf('/');
            if (slash <= 0 || slash == full.length() - 1) {
                continue; // an unparseable entry matches nothing, as in Go's mime parsing
            }
            Map<String, String> params = new LinkedHashMap<>();
            double q = 1.0;
            for (int i = 1; i < pieces.length; i++) {
                String kv = pieces[i].trim();
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = kv.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = kv.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (key.equals("q")) {
                    try {
                        q = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                } else {
                    params.put(key, value);
                }
            }
            if (q > 0) {
                ranges.add(new MediaRange(full.substring(0, slash), full.substring(slash + 1), Map.copyOf(params), q));
            }
        }
        ranges.sort(Comparator.comparingDouble(MediaRange::q).reversed());
        return ranges;
    }

    /** True if this range admits {@code type/subtype} (wildcards allowed in the range). */
    public boolean admits(String t, String s) {
        return (type.equals("*") || type.equals(t)) && (subtype.equals("*") || subtype.equals(s));
    }

    public String param(String name) {
        return params.get(name);
    }
}
