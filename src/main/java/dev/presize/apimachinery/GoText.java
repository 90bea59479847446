package dev.presize.apimachinery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The few pieces of Go's text formatting that kube-apiserver's error messages are built from, so our
 * messages come out byte-for-byte the same: {@code %q} ({@code strconv.Quote}), {@code field.Invalid}
 * ({@code k8s.io/apimachinery/pkg/util/validation/field/errors.go}) and the aggregate of several
 * errors ({@code k8s.io/apimachinery/pkg/util/errors}).
 */
public final class GoText {

    private GoText() {
    }

    /** Go's {@code strconv.Quote}: printable characters as they are, everything else escaped. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case 0x07 -> b.append("\\a");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case 0x0b -> b.append("\\v");
                default -> {
                    if (isPrint(cp)) {
                        b.appendCodePoint(cp);
                    } else if (cp < 0x80) {
                        b.append(String.format("\\x%02x", cp));
                    } else if (cp < 0x10000) {
                        b.append(String.format("\\u%04x", cp));
                    } else {
                        b.append(String.format("\\U%08x", cp));
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Approximates Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols, ASCII space. */
    private static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** {@code field.Invalid(path, value, detail).Error()} for a string value. */
    public static String invalid(String path, String value, String detail) {
        return path + ": Invalid value: " + quote(value) + (detail.isEmpty() ? "" : ": " + detail);
    }

    /** {@code field.Invalid(path, values, detail).Error()} for a list value (rendered as JSON, as Go does). */
    public static String invalid(String path, List<String> values, String detail) {
        List<String> quoted = new ArrayList<>(values.size());
        for (String v : values) {
            quoted.add(jsonString(v));
        }
        return path + ": Invalid value: [" + String.join(",", quoted) + "]" + (detail.isEmpty() ? "" : ": " + detail);
    }

    /** {@code utilerrors.NewAggregate(errs).Error()}: one message alone, several de-duplicated inside brackets. */
    public static String aggregate(List<String> messages) {
        if (messages.size() == 1) {
            return messages.get(0);
        }
        Set<String> seen = new LinkedHashSet<>(messages);
        return seen.size() == 1 ? seen.iterator().next() : "[" + String.join(", ", seen) + "]";
    }

    /** A JSON string literal (for messages that embed a list value as encoding/json would). */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
