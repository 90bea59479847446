package dev.presize.api.responses;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import jakarta.inject.Singleton;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code application/yaml} output, produced from the JSON tree so the two representations can
 * never disagree on field names, order or omitted nulls (kube-apiserver likewise converts its JSON).
 */
@Singleton
public class YamlRenderer {

    private final WireJson json;
    private final DumperOptions options = new DumperOptions();

    public YamlRenderer(WireJson json) {
        this.json = json;
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(0);
        options.setSplitLines(false);
    }

    public byte[] encode(Object value) {
        Object tree = plain(json.gson().toJsonTree(value));
        // Yaml is not thread-safe; one per call is cheap next to the serialization itself.
        return new Yaml(options).dump(tree).getBytes(StandardCharsets.UTF_8);
    }

    private static Object plain(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e instanceof JsonObject o) {
            Map<String, Object> m = new LinkedHashMap<>();
            o.entrySet().forEach(entry -> m.put(entry.getKey(), plain(entry.getValue())));
            return m;
        }
        if (e instanceof JsonArray a) {
            List<Object> l = new ArrayList<>(a.size());
            a.forEach(x -> l.add(plain(x)));
            return l;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            BigDecimal d = p.getAsBigDecimal();
            return d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0 ? (Object) d.longValueExact() : (Object) d.doubleValue();
        }
        return p.getAsString();
    }
}
