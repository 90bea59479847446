package dev.presize.history;

import java.io.IOException;

/**
 * A trace that does not follow the format. The message names the source, the line (1-based, the
 * header is line 1) and the problem, so a user can fix the file instead of guessing.
 */
public class TraceFormatException extends IOException {

    private final long line;

    public TraceFormatException(String source, long line, String problem) {
        super(source + " line " + line + ": " + problem);
        this.line = line;
    }

    public long line() {
        return line;
    }
}
