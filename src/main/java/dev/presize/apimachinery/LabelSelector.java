package dev.presize.apimachinery;

import dev.presize.api.errors.ApiException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed {@code labelSelector}, with the grammar, validation and error messages of
 * k8s.io/apimachinery {@code pkg/labels/selector.go} ({@code labels.Parse}). The lexer and parser
 * below follow the upstream ones step by step, so odd inputs ({@code x in (,a)}, {@code !x=y},
 * {@code a=b c}) get the same result and the same message as from kube-apiserver.
 *
 * <p>Beyond upstream: a selector longer than {@link #MAX_LENGTH} characters or with more than
 * {@link #MAX_REQUIREMENTS} requirements is refused before any work, so a hostile selector costs
 * little to parse and to match against every object of a list.
 */
public final class LabelSelector {

    public static final int MAX_LENGTH = 10_000;
    public static final int MAX_REQUIREMENTS = 100;

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    /** The operators of {@code k8s.io/apimachinery/pkg/selection}, with their upstream spelling. */
    public enum Operator {
        IN("in"), NOT_IN("notin"), EQUALS("="), DOUBLE_EQUALS("=="), NOT_EQUALS("!="),
        GREATER_THAN("gt"), LESS_THAN("lt"), EXISTS("exists"), DOES_NOT_EXIST("!");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    /** One requirement; {@code values} are sorted and distinct, as upstream's {@code sets.String.List()}. */
    public record Requirement(String key, Operator operator, List<String> values) {

        public Requirement {
            values = List.copyOf(values);
        }

        public boolean matches(Map<String, String> labels) {
            boolean has = labels != null && labels.containsKey(key);
            String value = has ? labels.get(key) : null;
            return switch (operator) {
                case IN, EQUALS, DOUBLE_EQUALS -> has && hasValue(value);
                case NOT_IN, NOT_EQUALS -> !has || !hasValue(value);
                case EXISTS -> has;
                case DOES_NOT_EXIST -> !has;
                case GREATER_THAN, LESS_THAN -> {
                    if (!has || values.size() != 1) {
                        yield false;
                    }
                    Long actual = parseInt64(value);
                    Long bound = parseInt64(values.get(0));
                    if (actual == null || bound == null) {
                        yield false;
                    }
                    yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
                }
            };
        }

        /** {@code values} is sorted, so a large {@code in (...)} set costs a binary search per object. */
        private boolean hasValue(String value) {
            return value != null && Collections.binarySearch(values, value) >= 0;
        }

        /** Upstream {@code Requirement.String()}. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            if (operator == Operator.DOES_NOT_EXIST) {
                b.append('!');
            }
            b.append(key);
            switch (operator) {
                case EXISTS, DOES_NOT_EXIST -> {
                    return b.toString();
                }
                case IN -> b.append(" in (");
                case NOT_IN -> b.append(" notin (");
                case GREATER_THAN -> b.append('>');
                case LESS_THAN -> b.append('<');
                default -> b.append(operator.symbol());
            }
            b.append(String.join(",", values));
            if (operator == Operator.IN || operator == Operator.NOT_IN) {
                b.append(')');
            }
            return b.toString();
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses like {@code labels.Parse}. Null or empty (also only whitespace) selects everything.
     *
     * @throws ApiException 400 with kube-apiserver's message when the selector is not valid
     */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        if (selector.length() > MAX_LENGTH) {
            throw ApiException.badRequest("unable to parse requirement: the label selector is "
                    + selector.length() + " characters long; at most " + MAX_LENGTH + " are allowed");
        }
        List<Requirement> parsed = new Parser(selector).parse();
        if (parsed.isEmpty()) {
            return EVERYTHING;
        }
        List<Requirement> sorted = new ArrayList<>(parsed);
        sorted.sort(Comparator.comparing(Requirement::key)); // upstream sorts by key "to grant deterministic parsing"
        return new LabelSelector(Collections.unmodifiableList(sorted));
    }

    /** True when every requirement matches; a null map is an object without labels. */
    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    public List<Requirement> requirements() {
        return requirements;
    }

    /** The canonical form kube-apiserver would print, e.g. {@code app=web,tier in (a,b)}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>(requirements.size());
        for (Requirement r : requirements) {
            parts.add(r.toString());
        }
        return String.join(",", parts);
    }

    /** Go's {@code strconv.ParseInt(s, 10, 64)}: optional sign, decimal digits, int64 range. */
    public static Long parseInt64(String s) {
        if (s == null || s.isEmpty() || s.length() > 20) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean sign = i == 0 && (c == '+' || c == '-') && s.length() > 1;
            if (!sign && (c < '0' || c > '9')) {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- lexer: a port of upstream's Lexer, one char at a time, 0 meaning end of input ----

    private enum Token {
        ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN,
        IDENTIFIER, IN, LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
    }

    private record Item(Token token, String literal) {
    }

    private static Token keyword(String s) {
        return switch (s) {
            case ")" -> Token.CLOSED_PAR;
            case "," -> Token.COMMA;
            case "!" -> Token.DOES_NOT_EXIST;
            case "==" -> Token.DOUBLE_EQUALS;
            case "=" -> Token.EQUALS;
            case ">" -> Token.GREATER_THAN;
            case "in" -> Token.IN;
            case "<" -> Token.LESS_THAN;
            case "!=" -> Token.NOT_EQUALS;
            case "notin" -> Token.NOT_IN;
            case "(" -> Token.OPEN_PAR;
            default -> null;
        };
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecialSymbol(char c) {
        return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }

    private static final class Lexer {
        private final String s;
        private int pos;

        Lexer(String s) {
            this.s = s;
        }

        private char read() {
            char c = 0;
            if (pos < s.length()) {
                c = s.charAt(pos);
                pos++;
            }
            return c;
        }

        private void unread() {
            pos--;
        }

        private Item scanIdOrKeyword() {
            StringBuilder buffer = new StringBuilder();
            while (true) {
                char c = read();
                if (c == 0) {
                    break;
                }
                if (isSpecialSymbol(c) || isWhitespace(c)) {
                    unread();
                    break;
                }
                buffer.append(c);
            }
            String lit = buffer.toString();
            Token t = keyword(lit);
            return new Item(t != null ? t : Token.IDENTIFIER, lit);
        }

        private Item scanSpecialSymbol() {
            Item last = null;
            StringBuilder buffer = new StringBuilder();
            while (true) {
                char c = read();
                if (c == 0) {
                    break;
                }
                if (isSpecialSymbol(c)) {
                    buffer.append(c);
                    Token t = keyword(buffer.toString());
                    if (t != null) {
                        last = new Item(t, buffer.toString());
                    } else if (last != null) {
                        unread();
                        break;
                    }
                } else {
                    unread();
                    break;
                }
            }
            if (last == null) {
                return new Item(Token.ERROR, "error expected: keyword found '" + buffer + "'");
            }
            return last;
        }

        Item lex() {
            char c = read();
            while (isWhitespace(c)) {
                c = read();
            }
            if (c == 0) {
                return new Item(Token.END_OF_STRING, "");
            }
            unread();
            return isSpecialSymbol(c) ? scanSpecialSymbol() : scanIdOrKeyword();
        }
    }

    // ---- parser: a port of upstream's Parser ----

    private static final String BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt";

    private static final class Parser {
        private final List<Item> items = new ArrayList<>();
        private int position;

        Parser(String selector) {
            Lexer lexer = new Lexer(selector);
            while (true) {
                Item item = lexer.lex();
                items.add(item);
                if (item.token() == Token.END_OF_STRING) {
                    break;
                }
            }
        }

        /** In a values context the keywords {@code in} and {@code notin} are plain identifiers. */
        private static Item inValues(Item item) {
            return item.token() == Token.IN || item.token() == Token.NOT_IN
                    ? new Item(Token.IDENTIFIER, item.literal()) : item;
        }

        private Item lookahead() {
            return inValues(items.get(position));
        }

        private Item consumeValues() {
            return inValues(items.get(position++));
        }

        private Item consumeKeyAndOperator() {
            return items.get(position++);
        }

        List<Requirement> parse() {
            List<Requirement> requirements = new ArrayList<>();
            while (true) {
                Item item = lookahead();
                switch (item.token()) {
                    case IDENTIFIER, DOES_NOT_EXIST -> {
                        Requirement r;
                        try {
                            r = parseRequirement();
                        } catch (ParseError e) {
                            throw ApiException.badRequest("unable to parse requirement: " + e.getMessage());
                        }
                        requirements.add(r);
                        if (requirements.size() > MAX_REQUIREMENTS) {
                            throw ApiException.badRequest("unable to parse requirement: the label selector has more than "
                                    + MAX_REQUIREMENTS + " requirements");
                        }
                        Item next = consumeValues();
                        switch (next.token()) {
                            case END_OF_STRING -> {
                                return requirements;
                            }
                            case COMMA -> {
                                Item after = lookahead();
                                if (after.token() != Token.IDENTIFIER && after.token() != Token.DOES_NOT_EXIST) {
                                    throw ApiException.badRequest("found '" + after.literal() + "', expected: identifier after ','");
                                }
                            }
                            default -> throw ApiException.badRequest(
                                    "found '" + next.literal() + "', expected: ',' or 'end of string'");
                        }
                    }
                    case END_OF_STRING -> {
                        return requirements;
                    }
                    default -> throw ApiException.badRequest(
                            "found '" + item.literal() + "', expected: !, identifier, or 'end of string'");
                }
            }
        }

        private Requirement parseRequirement() {
            Operator operator = null;
            Item item = consumeValues();
            if (item.token() == Token.DOES_NOT_EXIST) {
                operator = Operator.DOES_NOT_EXIST;
                item = consumeValues();
            }
            if (item.token() != Token.IDENTIFIER) {
                throw new ParseError("found '" + item.literal() + "', expected: identifier");
            }
            String key = item.literal();
            List<String> keyErrors = KubeValidation.isLabelKey(key);
            if (!keyErrors.isEmpty()) {
                // upstream validates with a nil field path, which prints as "<nil>"
                throw new ParseError(GoText.invalid("<nil>", key, String.join("; ", keyErrors)));
            }
            Token next = lookahead().token();
            if (next == Token.END_OF_STRING || next == Token.COMMA) {
                if (operator != Operator.DOES_NOT_EXIST) {
                    operator = Operator.EXISTS;
                }
            }
            if (operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) {
                return newRequirement(key, operator, List.of());
            }
            operator = parseOperator();
            Set<String> values = switch (operator) {
                case IN, NOT_IN -> parseValues();
                default -> parseExactValue();
            };
            return newRequirement(key, operator, new ArrayList<>(values));
        }

        private Operator parseOperator() {
            Item item = consumeKeyAndOperator();
            return switch (item.token()) {
                case IN -> Operator.IN;
                case EQUALS -> Operator.EQUALS;
                case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
                case GREATER_THAN -> Operator.GREATER_THAN;
                case LESS_THAN -> Operator.LESS_THAN;
                case NOT_IN -> Operator.NOT_IN;
                case NOT_EQUALS -> Operator.NOT_EQUALS;
                default -> throw new ParseError("found '" + item.literal() + "', expected: " + BINARY_OPERATORS);
            };
        }

        private Set<String> parseValues() {
            Item item = consumeValues();
            if (item.token() != Token.OPEN_PAR) {
                throw new ParseError("found '" + item.literal() + "' expected: '('");
            }
            item = lookahead();
            switch (item.token()) {
                case IDENTIFIER, COMMA -> {
                    Set<String> s = parseIdentifiersList();
                    if (consumeValues().token() != Token.CLOSED_PAR) {
                        throw new ParseError("found '" + item.literal() + "', expected: ')'");
                    }
                    return s;
                }
                case CLOSED_PAR -> {
                    consumeValues();
                    return new TreeSet<>(Set.of(""));
                }
                default -> throw new ParseError("found '" + item.literal() + "', expected: ',', ')' or identifier");
            }
        }

        private Set<String> parseIdentifiersList() {
            Set<String> s = new TreeSet<>();
            while (true) {
                Item item = consumeValues();
                switch (item.token()) {
                    case IDENTIFIER -> {
                        s.add(item.literal());
                        Item next = lookahead();
                        switch (next.token()) {
                            case COMMA -> {
                                continue;
                            }
                            case CLOSED_PAR -> {
                                return s;
                            }
                            default -> throw new ParseError("found '" + next.literal() + "', expected: ',' or ')'");
                        }
                    }
                    case COMMA -> {
                        if (s.isEmpty()) {
                            s.add(""); // "(,"
                        }
                        Token next = lookahead().token();
                        if (next == Token.CLOSED_PAR) {
                            s.add(""); // ",)"
                            return s;
                        }
                        if (next == Token.COMMA) {
                            consumeValues();
                            s.add(""); // ",,"
                        }
                    }
                    default -> throw new ParseError("found '" + item.literal() + "', expected: ',', or identifier");
                }
            }
        }

        private Set<String> parseExactValue() {
            Set<String> s = new TreeSet<>();
            Token t = lookahead().token();
            if (t == Token.END_OF_STRING || t == Token.COMMA) {
                s.add("");
                return s;
            }
            Item item = consumeValues();
            if (item.token() == Token.IDENTIFIER) {
                s.add(item.literal());
                return s;
            }
            throw new ParseError("found '" + item.literal() + "', expected: identifier");
        }
    }

    /** Upstream {@code NewRequirement}: every problem is collected, then reported as one aggregate. */
    private static Requirement newRequirement(String key, Operator op, List<String> values) {
        List<String> errs = new ArrayList<>();
        List<String> keyErrors = KubeValidation.isLabelKey(key);
        if (!keyErrors.isEmpty()) {
            errs.add(GoText.invalid("key", key, String.join("; ", keyErrors)));
        }
        switch (op) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    errs.add(GoText.invalid("values", values, "for 'in', 'notin' operators, values set can't be empty"));
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    errs.add(GoText.invalid("values", values, "exact-match compatibility requires one single value"));
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errs.add(GoText.invalid("values", values, "values set must be empty for exists and does not exist"));
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    errs.add(GoText.invalid("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (int i = 0; i < values.size(); i++) {
                    if (parseInt64(values.get(i)) == null) {
                        errs.add(GoText.invalid("values[" + i + "]", values.get(i),
                                "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> valueErrors = KubeValidation.isLabelValue(values.get(i));
            if (!valueErrors.isEmpty()) {
                errs.add(GoText.invalid("values[" + i + "][" + key + "]", values.get(i), String.join("; ", valueErrors)));
            }
        }
        if (!errs.isEmpty()) {
            throw new ParseError(GoText.aggregate(errs));
        }
        return new Requirement(key, op, values);
    }

    /** A requirement-level failure; {@link Parser#parse()} prefixes it as upstream does. */
    private static final class ParseError extends RuntimeException {
        ParseError(String message) {
            super(message, null, false, false);
        }
    }
}
