package dev.presize.apimachinery;

import dev.presize.api.errors.ApiException;
import dev.presize.v1beta1.Requests;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed {@code fieldSelector} for {@code Requests}, following k8s.io/apimachinery
 * {@code pkg/fields/selector.go} ({@code fields.ParseSelector}: terms split on unescaped commas,
 * operators {@code !=}, {@code ==}, {@code =}, values unescaped with {@code \\}, {@code \,},
 * {@code \=}) and then the field-label conversion kube-apiserver applies to every term. Like a
 * custom resource without selectable fields, only {@code metadata.name} and
 * {@code metadata.namespace} are supported, and anything else gets the message of
 * {@code runtime.DefaultMetaV1FieldSelectorConversion}.
 */
public final class FieldSelector {

    public static final int MAX_LENGTH = 10_000;
    public static final String METADATA_NAME = "metadata.name";
    public static final String METADATA_NAMESPACE = "metadata.namespace";

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    private static final String[] OPERATORS = {"!=", "==", "="}; // "==" before "=" so no "=" is left on the value

    /** One term: {@code field=value} ({@code equals}) or {@code field!=value}. */
    public record Term(String field, boolean equals, String value) {

        public boolean matches(Requests r) {
            String actual = METADATA_NAME.equals(field) ? r.name() : r.namespace();
            return equals == value.equals(actual == null ? "" : actual);
        }

        @Override
        public String toString() {
            return field + (equals ? "=" : "!=") + escapeValue(value);
        }
    }

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses and validates a field selector. Null or empty selects everything.
     *
     * @throws ApiException 400 with kube-apiserver's message
     */
    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        if (selector.length() > MAX_LENGTH) {
            throw ApiException.badRequest("invalid selector: the field selector is " + selector.length()
                    + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        List<String> parts = splitTerms(selector);
        Collections.sort(parts); // upstream sorts the raw terms before parsing them
        List<Term> terms = new ArrayList<>(parts.size());
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            String[] split = splitTerm(part);
            if (split == null) {
                throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + part + "'");
            }
            terms.add(new Term(split[0], !"!=".equals(split[1]), unescapeValue(split[2])));
        }
        // the field-label conversion runs after the whole selector parsed (Selector.Transform)
        for (Term t : terms) {
            if (!METADATA_NAME.equals(t.field()) && !METADATA_NAMESPACE.equals(t.field())) {
                throw ApiException.badRequest(GoText.quote(t.field()) + " is not a known field selector: only "
                        + GoText.quote(METADATA_NAME) + ", " + GoText.quote(METADATA_NAMESPACE));
            }
        }
        return terms.isEmpty() ? EVERYTHING : new FieldSelector(List.copyOf(terms));
    }

    public boolean matches(Requests r) {
        for (Term t : terms) {
            if (!t.matches(r)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public List<Term> terms() {
        return terms;
    }

    /**
     * Upstream {@code RequiresExactMatch}: the value an {@code =} term demands of {@code field}, or
     * null. Lets a caller narrow a list to one namespace or one object before filtering.
     */
    public String requiresExactMatch(String field) {
        for (Term t : terms) {
            if (t.field().equals(field) && t.equals()) {
                return t.value();
            }
        }
        return null;
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(terms.size());
        for (Term t : terms) {
            parts.add(t.toString());
        }
        return String.join(",", parts);
    }

    /** Splits on commas that are not escaped; escapes stay in the terms. */
    static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean inSlash = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (inSlash) {
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',') {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    /** {lhs, op, rhs} split at the first operator; the left side supports no escaping. */
    private static String[] splitTerm(String term) {
        for (int i = 0; i < term.length(); i++) {
            for (String op : OPERATORS) {
                if (term.startsWith(op, i)) {
                    return new String[] {term.substring(0, i), op, term.substring(i + op.length())};
                }
            }
        }
        return null;
    }

    /** Upstream {@code fields.UnescapeValue}, with its messages (an unescaped rune prints as its number). */
    static String unescapeValue(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) {
            return s;
        }
        StringBuilder v = new StringBuilder(s.length());
        boolean inSlash = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (inSlash) {
                if (c == '\\' || c == ',' || c == '=') {
                    v.appendCodePoint(c);
                } else {
                    throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\"
                            + new String(Character.toChars(c)));
                }
                inSlash = false;
                continue;
            }
            switch (c) {
                case '\\' -> inSlash = true;
                case ',', '=' -> throw ApiException.badRequest("invalid field selector: unescaped character in value: " + c);
                default -> v.appendCodePoint(c);
            }
        }
        if (inSlash) {
            throw ApiException.badRequest("invalid field selector: invalid escape sequence: \\");
        }
        return v.toString();
    }

    /** Upstream {@code fields.EscapeValue}. */
    public static String escapeValue(String s) {
        return s.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }
}
