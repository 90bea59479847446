package dev.presize.history;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the usage-trace CSV format (format: bench/traces/README.md), plain or gzip-compressed
 * (told apart by the gzip magic bytes, not the file name). Accepts any number of series, any sample
 * interval, gaps, and an empty {@code cpu_cores} or {@code memory_bytes} (not measured: NaN; a
 * series may have only one of them, e.g. a CPU-only VM trace), not both. A row that breaks the format
 * fails the whole read with a {@link TraceFormatException} naming its line: a silently skipped row
 * would bias every percentile computed downstream without anyone noticing.
 *
 * <p>Empty {@code cpu_request_cores} / {@code memory_request_bytes} are read as unknown (NaN): the
 * format only promises them for the current traces, and a container without requests is normal in
 * Kubernetes.
 */
public final class TraceReader {

    public static final String HEADER =
            "timestamp,namespace,workload,container,cpu_cores,memory_bytes,cpu_request_cores,memory_request_bytes";
    private static final String[] COLUMNS = HEADER.split(",");
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;
    private static final int BUFFER_BYTES = 1 << 16;

    public List<ContainerSeries> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads the whole stream; {@code source} names it in error messages. Does not close {@code in}. */
    public List<ContainerSeries> read(InputStream in, String source) throws IOException {
        BufferedReader lines = new BufferedReader(
                new InputStreamReader(decompressIfGzip(in), StandardCharsets.UTF_8), BUFFER_BYTES);
        String header = nextLine(lines, source, 1);
        if (header == null) {
            throw new TraceFormatException(source, 1, "empty file, expected the header " + HEADER);
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1); // a byte-order mark is encoding noise, not a header mismatch
        }
        if (!header.equals(HEADER)) {
            throw new TraceFormatException(source, 1, "header mismatch: expected " + HEADER + " but found " + header);
        }
        // Series in order of first appearance. A series may come back after others: the development
        // trace is sorted by month, then series, then time (three runs per VM), so what the format
        // must guarantee, and what is checked, is that time increases within each series.
        Map<SeriesKey, SeriesBuilder> series = new LinkedHashMap<>();
        int[] commas = new int[COLUMNS.length - 1];
        SeriesBuilder current = null;
        long lineNo = 1;
        String line;
        while ((line = nextLine(lines, source, lineNo + 1)) != null) {
            lineNo++;
            splitFields(line, commas, source, lineNo);
            if (current == null || !current.matches(line, commas)) {
                SeriesKey key = new SeriesKey(
                        text(line, commas, 1, source, lineNo),
                        text(line, commas, 2, source, lineNo),
                        text(line, commas, 3, source, lineNo));
                current = series.computeIfAbsent(key, SeriesBuilder::new);
            }
            long t = timestamp(line, 0, commas, source, lineNo);
            if (current.size > 0 && t == current.lastTimestamp()) {
                // A repeated row (a trace concatenated twice, an export rerun) is the usual cause.
                throw new TraceFormatException(source, lineNo, "series " + current.key + " has two samples at"
                        + " timestamp " + t + ": each series needs one sample per timestamp");
            }
            if (current.size > 0 && t < current.lastTimestamp()) {
                throw new TraceFormatException(source, lineNo, "series " + current.key + " not sorted by time: "
                        + "timestamp " + t + " does not follow " + current.lastTimestamp());
            }
            double cpu = number(line, commas, 4, true, source, lineNo);
            double memory = number(line, commas, 5, true, source, lineNo);
            if (Double.isNaN(cpu) && Double.isNaN(memory)) {
                // Either may be unmeasured (a VM trace has CPU only), but a row must measure something.
                throw new TraceFormatException(source, lineNo,
                        "empty cpu_cores and memory_bytes: a row needs at least one");
            }
            current.add(t, cpu, memory,
                    number(line, commas, 6, true, source, lineNo),
                    number(line, commas, 7, true, source, lineNo));
        }
        List<ContainerSeries> result = new ArrayList<>(series.size());
        for (SeriesBuilder b : series.values()) {
            result.add(b.build()); // releases the builder's arrays: peak memory stays near the data size
        }
        return result;
    }

    /**
     * The next line, or null at the end; a gzip stream that breaks off or is damaged is a format
     * error at {@code lineNo}, the line it was reading, rather than the JDK's bare "Unexpected end of
     * ZLIB input stream": a cut-short download or copy is the usual cause, and every line before it
     * was fine.
     */
    private static String nextLine(BufferedReader lines, String source, long lineNo) throws IOException {
        try {
            return lines.readLine();
        } catch (EOFException e) {
            throw new TraceFormatException(source, lineNo, "the gzip data ends in the middle of the file:"
                    + " it is cut short (an interrupted download or copy?)");
        } catch (ZipException e) {
            throw new TraceFormatException(source, lineNo, "the gzip data is damaged (" + e.getMessage() + ")");
        }
    }

    private static InputStream decompressIfGzip(InputStream in) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, BUFFER_BYTES);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        return b1 == GZIP_MAGIC_1 && b2 == GZIP_MAGIC_2 ? new GZIPInputStream(buffered, BUFFER_BYTES) : buffered;
    }

    /** Finds the separators without allocating; a line ending in CR (CRLF files) keeps it in the last field. */
    private static void splitFields(String line, int[] commas, String source, long lineNo) throws TraceFormatException {
        int found = 0;
        for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', i + 1)) {
            if (found == commas.length) {
                throw wrongColumnCount(line, source, lineNo);
            }
            commas[found++] = i;
        }
        if (found != commas.length) {
            throw wrongColumnCount(line, source, lineNo);
        }
    }

    private static TraceFormatException wrongColumnCount(String line, String source, long lineNo) {
        long columns = line.isEmpty() ? 0 : line.chars().filter(c -> c == ',').count() + 1;
        return new TraceFormatException(source, lineNo, "expected " + COLUMNS.length + " columns, found " + columns);
    }

    private static int start(int[] commas, int column) {
        return column == 0 ? 0 : commas[column - 1] + 1;
    }

    private static int end(String line, int[] commas, int column) {
        if (column < commas.length) {
            return commas[column];
        }
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r' ? end - 1 : end;
    }

    private static String text(String line, int[] commas, int column, String source, long lineNo)
            throws TraceFormatException {
        int from = start(commas, column);
        int to = end(line, commas, column);
        if (from == to) {
            throw new TraceFormatException(source, lineNo, "empty " + COLUMNS[column]);
        }
        return line.substring(from, to);
    }

    /** 9999-12-31T23:59:59Z in Unix seconds. */
    static final long LAST_SECOND = 253_402_300_799L;

    private static long timestamp(String line, int column, int[] commas, String source, long lineNo)
            throws TraceFormatException {
        int from = start(commas, column);
        int to = end(line, commas, column);
        long t;
        try {
            t = Long.parseLong(line, from, to, 10);
        } catch (NumberFormatException e) {
            throw new TraceFormatException(source, lineNo, COLUMNS[column] + " is not a whole number of seconds: '"
                    + line.substring(from, to) + "'");
        }
        if (t < 0) {
            throw new TraceFormatException(source, lineNo, COLUMNS[column] + " is negative: " + t);
        }
        // Past the year 9999 no date prints as RFC 3339: almost always milliseconds (or finer) where
        // seconds are meant, which would otherwise surface as a warm-up ending in the year 55 840.
        if (t > LAST_SECOND) {
            throw new TraceFormatException(source, lineNo, COLUMNS[column] + " " + t
                    + " is after the year 9999: it must be Unix seconds (milliseconds divided by 1000)");
        }
        return t;
    }

    /** A finite, non-negative number; empty is NaN where {@code emptyAllowed}, an error otherwise. */
    private static double number(String line, int[] commas, int column, boolean emptyAllowed, String source,
                                 long lineNo) throws TraceFormatException {
        int from = start(commas, column);
        int to = end(line, commas, column);
        if (from == to) {
            if (emptyAllowed) {
                return Double.NaN;
            }
            throw new TraceFormatException(source, lineNo, "empty " + COLUMNS[column]);
        }
        String field = line.substring(from, to);
        double v;
        try {
            v = Double.parseDouble(field);
        } catch (NumberFormatException e) {
            throw new TraceFormatException(source, lineNo, COLUMNS[column] + " is not a number: '" + field + "'");
        }
        // parseDouble also accepts "NaN", "Infinity" and surrounding blanks; none of them is a measurement.
        if (!Double.isFinite(v) || field.isBlank() || Character.isWhitespace(field.charAt(0))
                || Character.isWhitespace(field.charAt(field.length() - 1))) {
            throw new TraceFormatException(source, lineNo, COLUMNS[column] + " is not a number: '" + field + "'");
        }
        if (v < 0) {
            throw new TraceFormatException(source, lineNo, COLUMNS[column] + " is negative: " + field);
        }
        return v;
    }

    /** Accumulates one series in growable primitive arrays, trimmed to size when built. */
    private static final class SeriesBuilder {
        private static final int INITIAL_CAPACITY = 1024;

        final SeriesKey key;
        long[] timestamps = new long[INITIAL_CAPACITY];
        double[] cpu = new double[INITIAL_CAPACITY];
        double[] memory = new double[INITIAL_CAPACITY];
        double cpuRequest = Double.NaN;
        double memoryRequest = Double.NaN;
        int size;
        // Request changes: few per series, so a small growable list of steps.
        long[] stepTimes = new long[4];
        double[] stepCpu = new double[4];
        double[] stepMemory = new double[4];
        int steps;

        SeriesBuilder(SeriesKey key) {
            this.key = key;
        }

        boolean matches(String line, int[] commas) {
            return same(line, commas, 1, key.namespace()) && same(line, commas, 2, key.workload())
                    && same(line, commas, 3, key.container());
        }

        private static boolean same(String line, int[] commas, int column, String value) {
            int from = start(commas, column);
            return commas[column] - from == value.length() && line.startsWith(value, from);
        }

        long lastTimestamp() {
            return timestamps[size - 1];
        }

        void add(long t, double cpuCores, double memoryBytes, double cpuRequestCores, double memoryRequestBytes) {
            if (size == timestamps.length) {
                // Grow by half, not double: with hundreds of series open at once, slack is most of the heap.
                int capacity = size + (size >> 1);
                timestamps = Arrays.copyOf(timestamps, capacity);
                cpu = Arrays.copyOf(cpu, capacity);
                memory = Arrays.copyOf(memory, capacity);
            }
            timestamps[size] = t;
            cpu[size] = cpuCores;
            memory[size] = memoryBytes;
            size++;
            if (steps == 0 || Double.compare(cpuRequestCores, cpuRequest) != 0
                    || Double.compare(memoryRequestBytes, memoryRequest) != 0) {
                if (steps == stepTimes.length) {
                    stepTimes = Arrays.copyOf(stepTimes, steps * 2);
                    stepCpu = Arrays.copyOf(stepCpu, steps * 2);
                    stepMemory = Arrays.copyOf(stepMemory, steps * 2);
                }
                stepTimes[steps] = t;
                stepCpu[steps] = cpuRequestCores;
                stepMemory[steps] = memoryRequestBytes;
                steps++;
            }
            cpuRequest = cpuRequestCores;
            memoryRequest = memoryRequestBytes;
        }

        /** The series, trimmed to size; the builder is unusable afterwards. */
        ContainerSeries build() {
            long[] t = timestamps.length == size ? timestamps : Arrays.copyOf(timestamps, size);
            timestamps = null;
            double[] c = cpu.length == size ? cpu : Arrays.copyOf(cpu, size);
            cpu = null;
            double[] m = memory.length == size ? memory : Arrays.copyOf(memory, size);
            memory = null;
            RequestSteps requestSteps = new RequestSteps(Arrays.copyOf(stepTimes, steps),
                    Arrays.copyOf(stepCpu, steps), Arrays.copyOf(stepMemory, steps));
            return new ContainerSeries(key.namespace(), key.workload(), key.container(), t, c, m,
                    cpuRequest, memoryRequest, requestSteps);
        }
    }
}
