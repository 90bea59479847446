package dev.presize.apimachinery;

import java.util.ArrayList;
import java.util.List;

/**
 * The string checks of k8s.io/apimachinery {@code pkg/util/validation/validation.go} and
 * {@code pkg/api/validate/content/kube.go}, returning the same error strings. Hand-written scanners
 * instead of the upstream regular expressions: Java's backtracking engine is not linear on the
 * nested quantifiers of the DNS-1123 subdomain pattern, and these run on untrusted input.
 */
final class KubeValidation {

    static final int DNS1123_LABEL_MAX_LENGTH = 63;
    static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    static final int LABEL_KEY_NAME_MAX_LENGTH = 63;
    static final int LABEL_VALUE_MAX_LENGTH = 63;

    static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?";

    private static final String DNS1123_LABEL_ERR = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private static final String DNS1123_SUBDOMAIN_ERR = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final String LABEL_KEY_ERR = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private static final String LABEL_VALUE_ERR = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    private KubeValidation() {
    }

    static List<String> isDns1123Label(String value) {
        List<String> errs = new ArrayList<>(2);
        if (value.length() > DNS1123_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!isLabelShape(value, 0, value.length())) {
            if (isSubdomainShape(value)) {
                // a valid subdomain but not a valid label: length was checked above, so it must be dots
                errs.add("must not contain dots");
            } else {
                errs.add(regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, "my-name", "123-abc"));
            }
        }
        return errs;
    }

    static List<String> isDns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>(2);
        if (value.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!isSubdomainShape(value)) {
            errs.add(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /** {@code content.IsLabelKey} (formerly {@code IsQualifiedName}): {@code [prefix/]name}. */
    static List<String> isLabelKey(String value) {
        List<String> errs = new ArrayList<>(2);
        String[] parts = value.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) {
                    errs.add("prefix part " + emptyError());
                } else {
                    for (String m : isDns1123Subdomain(prefix)) {
                        errs.add("prefix part " + m);
                    }
                }
            }
            default -> {
                errs.add("a valid label key " + regexError(LABEL_KEY_ERR, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part " + emptyError());
        } else if (name.length() > LABEL_KEY_NAME_MAX_LENGTH) {
            errs.add("name part " + maxLenError(LABEL_KEY_NAME_MAX_LENGTH));
        }
        if (!isLabelKeyNameShape(name)) {
            errs.add("name part " + regexError(LABEL_KEY_ERR, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    static List<String> isLabelValue(String value) {
        List<String> errs = new ArrayList<>(2);
        if (value.length() > LABEL_VALUE_MAX_LENGTH) {
            errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
        }
        if (!value.isEmpty() && !isLabelKeyNameShape(value)) {
            errs.add(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    static String emptyError() {
        return "must be non-empty";
    }

    /** {@code validation.RegexError}, including its double space before each "or". */
    static String regexError(String msg, String fmt, String... examples) {
        StringBuilder b = new StringBuilder(msg);
        if (examples.length == 0) {
            return b.append(" (regex used for validation is '").append(fmt).append("')").toString();
        }
        b.append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                b.append(" or ");
            }
            b.append('\'').append(examples[i]).append("', ");
        }
        return b.append("regex used for validation is '").append(fmt).append("')").toString();
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean isAlnum(char c) {
        return isLowerAlnum(c) || (c >= 'A' && c <= 'Z');
    }

    /** {@code ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$} on {@code s[from, to)}. */
    private static boolean isLabelShape(String s, int from, int to) {
        if (to <= from || !isLowerAlnum(s.charAt(from)) || !isLowerAlnum(s.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (!isLowerAlnum(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** The DNS-1123 subdomain pattern: labels joined by single dots. */
    private static boolean isSubdomainShape(String s) {
        int start = 0;
        while (true) {
            int dot = s.indexOf('.', start);
            int end = dot < 0 ? s.length() : dot;
            if (!isLabelShape(s, start, end)) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    /** {@code ^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$}. */
    private static boolean isLabelKeyNameShape(String s) {
        int n = s.length();
        if (n == 0 || !isAlnum(s.charAt(0)) || !isAlnum(s.charAt(n - 1))) {
            return false;
        }
        for (int i = 1; i < n - 1; i++) {
            char c = s.charAt(i);
            if (!isAlnum(c) && c != '-' && c != '_' && c != '.') {
                return false;
            }
        }
        return true;
    }
}
