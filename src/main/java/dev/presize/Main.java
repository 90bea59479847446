package dev.presize;

import dev.presize.cli.Flags;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.micronaut.runtime.Micronaut;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Entry point: parses flags (failing fast on mistakes), then starts the Micronaut server. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        List<String> argList = Arrays.asList(args);
        if (argList.contains("--help") || argList.contains("-h")) {
            System.out.print(Flags.usage());
            return;
        }
        Map<String, Object> properties;
        try {
            properties = new HashMap<>(Flags.parse(argList));
        } catch (Flags.UsageException e) {
            System.err.println("presize: " + e.getMessage());
            System.err.println("Run with --help for the list of flags.");
            System.exit(2);
            return;
        }
        try {
            Micronaut.build(new String[0])
                    .mainClass(Main.class)
                    .properties(properties)
                    .start();
        } catch (RuntimeException e) {
            // Configuration mistakes (unreadable certificate, bad duration, ...) arrive wrapped in
            // bean-creation exceptions; print the innermost message a person can act on.
            System.err.println("presize: cannot start: " + rootMessage(e));
            System.exit(1);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (t != e && e instanceof BeanInstantiationException && message == null) {
            message = e.getMessage();
        }
        return message == null ? t.getClass().getSimpleName() : message;
    }
}
