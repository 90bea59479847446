package dev.presize.api.tables;

import dev.presize.api.Fixtures;
import dev.presize.api.listoptions.IncludeObject;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.presize.v1beta1.ObjectMeta;
import dev.presize.v1beta1.Requests;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableConverterTest {

    private static final Instant NOW = Instant.parse("2026-11-21T11:04:00Z");
    private static final Gson GSON = new Gson();
    private static final Requests WEB = Fixtures.requests("shop", "web");

    private static JsonObject json(Object o) {
        return JsonParser.parseString(GSON.toJson(o)).getAsJsonObject();
    }

    @Test
    void listTableSerializesAsMetaV1Table() {
        Table t = TableConverter.toTable(List.of(WEB), "1795305262000", "tok", IncludeObject.METADATA, NOW);
        JsonObject j = json(t);
        assertEquals("Table", j.get("kind").getAsString());
        assertEquals("meta.k8s.io/v1", j.get("apiVersion").getAsString());
        assertEquals("{\"resourceVersion\":\"1795305262000\",\"continue\":\"tok\"}", j.get("metadata").toString());
        assertEquals(6, j.getAsJsonArray("columnDefinitions").size());
        assertEquals("{\"name\":\"Name\",\"type\":\"string\",\"format\":\"name\",\"description\":"
                        + new dev.presize.api.responses.WireJson().gson().toJson(TableConverter.COLUMNS.get(0).description()) + ",\"priority\":0}",
                j.getAsJsonArray("columnDefinitions").get(0).toString());
        JsonObject row = j.getAsJsonArray("rows").get(0).getAsJsonObject();
        assertEquals("[\"web\",\"Deployment\",\"250m\",\"320Mi\",2,\"27h\"]", row.get("cells").toString());
        assertEquals("{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{\"name\":\"web\","
                        + "\"namespace\":\"shop\",\"creationTimestamp\":\"2026-11-20T08:00:00Z\",\"labels\":{\"app\":\"web\"},"
                        + "\"resourceVersion\":\"1795305262000\"}}",
                row.get("object").toString());
    }

    @Test
    void columnsAreTheSixOfTheContractWithDescriptionsAndPriorityZero() {
        assertEquals(List.of("Name", "Kind", "CPU", "Memory", "Containers", "Age"),
                TableConverter.COLUMNS.stream().map(Table.ColumnDefinition::name).toList());
        assertEquals(List.of("string", "string", "string", "string", "integer", "string"),
                TableConverter.COLUMNS.stream().map(Table.ColumnDefinition::type).toList());
        TableConverter.COLUMNS.forEach(c -> {
            assertFalse(c.description().isBlank());
            assertEquals(0, c.priority());
        });
    }

    @Test
    void includeObjectNoneLeavesObjectOut() {
        JsonObject j = json(TableConverter.toTable(List.of(WEB), "1", null, IncludeObject.NONE, NOW));
        assertFalse(j.getAsJsonArray("rows").get(0).getAsJsonObject().has("object"));
        assertEquals("{\"resourceVersion\":\"1\"}", j.get("metadata").toString());
    }

    @Test
    void includeObjectObjectEmbedsTheFullObject() {
        Table t = TableConverter.toTable(List.of(WEB), "1", null, IncludeObject.OBJECT, NOW);
        assertSame(WEB, t.rows().get(0).object());
        JsonObject o = json(t).getAsJsonArray("rows").get(0).getAsJsonObject().getAsJsonObject("object");
        assertEquals("Requests", o.get("kind").getAsString());
        assertEquals("presize.dev/v1beta1", o.get("apiVersion").getAsString());
        assertTrue(o.has("containers"));
    }

    @Test
    void nullIncludeMeansMetadata() {
        Table t = TableConverter.toTable(List.of(WEB), "1", null, null, NOW);
        assertTrue(t.rows().get(0).object() instanceof PartialObjectMetadata);
    }

    @Test
    void singleObjectTableHasOneRowAndTheObjectsVersion() {
        Table t = TableConverter.toTable(WEB, IncludeObject.METADATA, Table.V1BETA1, NOW);
        assertEquals(1, t.rows().size());
        assertEquals("meta.k8s.io/v1beta1", t.apiVersion());
        assertEquals("1795305262000", t.metadata().resourceVersion());
        assertEquals("meta.k8s.io/v1beta1", ((PartialObjectMetadata) t.rows().get(0).object()).apiVersion());
    }

    @Test
    void remainingItemCountIsWritten() {
        Table t = TableConverter.toTable(List.of(), new Table.ListMeta("9", "c", 3L), IncludeObject.NONE, Table.V1, NOW);
        JsonObject j = json(t);
        assertEquals("{\"resourceVersion\":\"9\",\"continue\":\"c\",\"remainingItemCount\":3}", j.get("metadata").toString());
        assertEquals(0, j.getAsJsonArray("rows").size());
    }

    @Test
    void missingValuesPrintLikeKubectl() {
        Requests bare = new Requests(Requests.API_VERSION, Requests.KIND,
                new ObjectMeta("bare", "shop", null, null, "1"), null, null, null, null, List.of(), null, null);
        assertEquals(List.of("bare", "<none>", "<none>", "<none>", 0, "<unknown>"), TableConverter.cells(bare, NOW));
    }

    @Test
    void ageUsesHumanDuration() {
        assertEquals("<unknown>", TableConverter.age("not a time", NOW));
        assertEquals("<unknown>", TableConverter.age("", NOW));
        assertEquals("0s", TableConverter.age("2026-11-21T11:04:01Z", NOW));
        assertEquals("<invalid>", TableConverter.age("2026-11-21T11:05:00Z", NOW));
        assertEquals("3h4m", TableConverter.age("2026-11-21T08:00:00Z", NOW));
        assertEquals("292y", TableConverter.age("0001-01-01T00:00:00Z", NOW));
        assertNull(new Table.ListMeta(null, null, null).continueToken());
    }
}
