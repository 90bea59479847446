package dev.presize.api.tables;

import com.google.gson.annotations.SerializedName;

import java.util.List;

/**
 * meta.k8s.io {@code Table}, shaped so Gson writes it exactly as kube-apiserver does: component
 * names are the wire names, null fields are left out (kube's {@code omitempty}), and
 * {@code format}/{@code description} are always present (kube has no omitempty on them).
 */
public record Table(String kind, String apiVersion, ListMeta metadata, List<ColumnDefinition> columnDefinitions,
                    List<Row> rows) {

    public static final String KIND = "Table";
    public static final String V1 = "meta.k8s.io/v1";
    public static final String V1BETA1 = "meta.k8s.io/v1beta1";

    public Table {
        // null only in a watch's later events, where kube leaves the headers out (TableOptions.NoHeaders)
        columnDefinitions = columnDefinitions == null ? null : List.copyOf(columnDefinitions);
        rows = List.copyOf(rows);
    }

    /** The same rows without column definitions, as kube sends every Table of a watch after the first. */
    public Table withoutColumnDefinitions() {
        return new Table(kind, apiVersion, metadata, null, rows);
    }

    /** metav1.ListMeta; {@code continue} is a Java keyword, hence the annotation. */
    public record ListMeta(String resourceVersion, @SerializedName("continue") String continueToken,
                           Long remainingItemCount) {
    }

    /** metav1.TableColumnDefinition. */
    public record ColumnDefinition(String name, String type, String format, String description, int priority) {
    }

    /**
     * metav1.TableRow. {@code cells} hold Strings and Integers; {@code object} is null,
     * a {@link PartialObjectMetadata} or the full object, and Gson writes it by its runtime type.
     */
    public record Row(List<Object> cells, Object object) {
        public Row {
            cells = List.copyOf(cells);
        }
    }
}
