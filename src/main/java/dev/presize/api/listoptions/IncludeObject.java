package dev.presize.api.listoptions;

import dev.presize.apimachinery.GoText;
import dev.presize.api.errors.ApiException;

/** {@code includeObject} of meta.k8s.io TableOptions: what each Table row carries besides its cells. */
public enum IncludeObject {
    NONE("None"), METADATA("Metadata"), OBJECT("Object");

    private final String wireName;

    IncludeObject(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * Null or empty means the default, {@link #METADATA}, as in kube-apiserver.
     *
     * @throws ApiException 400 {@code unrecognized includeObject value: "x"} (kube-apiserver's wording)
     */
    public static IncludeObject parse(String value) {
        if (value == null || value.isEmpty()) {
            return METADATA;
        }
        for (IncludeObject i : values()) {
            if (i.wireName.equals(value)) {
                return i;
            }
        }
        throw ApiException.badRequest("unrecognized includeObject value: " + GoText.quote(value));
    }
}
