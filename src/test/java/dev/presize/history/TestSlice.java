package dev.presize.history;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The 8 Bitbrains VM series of {@code src/test/resources/traces/bitbrains-rnd-slice.csv.gz}, read as a trace. */
public final class TestSlice {

    private static final String NAME = "bitbrains-rnd-slice.csv.gz";

    private TestSlice() {
    }

    public static List<ContainerSeries> read() throws IOException {
        try (InputStream in = TestSlice.class.getResourceAsStream("/traces/" + NAME)) {
            if (in == null) {
                throw new IOException("traces/" + NAME + " is not on the test classpath");
            }
            return new TraceReader().read(in, NAME);
        }
    }
}
