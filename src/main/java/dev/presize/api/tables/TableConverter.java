package dev.presize.api.tables;

import dev.presize.api.listoptions.IncludeObject;
import dev.presize.v1beta1.ContainerRequests;
import dev.presize.v1beta1.Requests;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts {@code Requests} to a meta.k8s.io Table for {@code kubectl get requests}: columns NAME,
 * KIND, CPU, MEMORY, CONTAINERS, AGE. As kube's printers do, a missing value prints as
 * {@code <none>} and an unknown creation time as {@code <unknown>}; the table's metadata and the
 * row objects follow k8s.io/apiserver {@code pkg/endpoints/handlers/response.go} ({@code asTable}).
 */
public final class TableConverter {

    static final String NONE = "<none>";
    static final String UNKNOWN = "<unknown>";

    public static final List<Table.ColumnDefinition> COLUMNS = List.of(
            new Table.ColumnDefinition("Name", "string", "name",
                    "Name must be unique within a namespace. It is the name of the workload the recommendation is for,"
                            + " with a suffix such as .statefulset when workloads of different kinds share a name.", 0),
            new Table.ColumnDefinition("Kind", "string", "",
                    "Kind of the workload the recommendation is for (target.kind), e.g. Deployment or StatefulSet.", 0),
            new Table.ColumnDefinition("CPU", "string", "",
                    "Recommended CPU request for the whole pod, the sum over its containers (resources.cpu).", 0),
            new Table.ColumnDefinition("Memory", "string", "",
                    "Recommended memory request for the whole pod, the sum over its containers (resources.memory).", 0),
            new Table.ColumnDefinition("Containers", "integer", "",
                    "Number of containers with a recommendation (length of containers).", 0),
            new Table.ColumnDefinition("Age", "string", "",
                    "Time since the workload was created (metadata.creationTimestamp).", 0));

    private TableConverter() {
    }

    /** A list as a {@code meta.k8s.io/v1} Table. */
    public static Table toTable(List<Requests> items, String resourceVersion, String continueToken,
                                IncludeObject include, Instant now) {
        return toTable(items, new Table.ListMeta(resourceVersion, continueToken, null), include, Table.V1, now);
    }

    /** One object (a GET with a Table Accept header): one row, the object's resourceVersion. */
    public static Table toTable(Requests item, IncludeObject include, String groupVersion, Instant now) {
        return toTable(List.of(item), new Table.ListMeta(item.metadata().resourceVersion(), null, null), include,
                groupVersion, now);
    }

    /**
     * @param meta         the list's resourceVersion, continue and remainingItemCount
     * @param include      what each row carries; null means the default, Metadata
     * @param groupVersion {@code meta.k8s.io/v1} or {@code meta.k8s.io/v1beta1}, as negotiated; also
     *                     the apiVersion of PartialObjectMetadata row objects, as in kube
     */
    public static Table toTable(List<Requests> items, Table.ListMeta meta, IncludeObject include, String groupVersion,
                                Instant now) {
        IncludeObject inc = include == null ? IncludeObject.METADATA : include;
        List<Table.Row> rows = new ArrayList<>(items.size());
        for (Requests r : items) {
            Object object = switch (inc) {
                case NONE -> null;
                case METADATA -> PartialObjectMetadata.of(r, groupVersion);
                case OBJECT -> r;
            };
            rows.add(new Table.Row(cells(r, now), object));
        }
        return new Table(Table.KIND, groupVersion, meta, COLUMNS, rows);
    }

    static List<Object> cells(Requests r, Instant now) {
        List<Object> cells = new ArrayList<>(COLUMNS.size());
        cells.add(r.name());
        cells.add(orNone(r.target() == null ? null : r.target().kind()));
        cells.add(orNone(r.resources() == null ? null : r.resources().cpu()));
        cells.add(orNone(r.resources() == null ? null : r.resources().memory()));
        List<ContainerRequests> containers = r.containers();
        cells.add(containers == null ? 0 : containers.size());
        cells.add(age(r.metadata().creationTimestamp(), now));
        return cells;
    }

    /** kube's {@code translateTimestampSince}: {@code <unknown>} without a timestamp. */
    static String age(String creationTimestamp, Instant now) {
        if (creationTimestamp == null || creationTimestamp.isEmpty()) {
            return UNKNOWN;
        }
        try {
            return HumanDuration.format(Duration.between(Instant.parse(creationTimestamp), now));
        } catch (DateTimeParseException e) {
            return UNKNOWN;
        }
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }
}
