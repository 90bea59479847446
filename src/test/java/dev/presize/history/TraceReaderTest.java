package dev.presize.history;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceReaderTest {

    private static final String H = TraceReader.HEADER + "\n";

    private static List<ContainerSeries> read(String csv) throws IOException {
        return new TraceReader().read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "test.csv");
    }

    @Test
    void readsTheShippedDemoTrace() throws IOException {
        List<ContainerSeries> trace;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("demo/usage.csv.gz")) {
            trace = new TraceReader().read(in, "demo");
        }
        assertEquals(31, trace.size());
        assertEquals(133_449, trace.stream().mapToInt(ContainerSeries::size).sum());
        Set<SeriesKey> keys = new HashSet<>();
        int missingMemory = 0;
        for (ContainerSeries s : trace) {
            assertTrue(keys.add(s.key()), "unique " + s.key());
            assertTrue(s.size() > 4000, s + " has most of 16 days of 5-minute samples");
            long[] t = s.timestamps();
            assertTrue(t[0] >= 1372723200L && t[t.length - 1] < 1374105600L, s + " inside the window");
            for (int i = 1; i < t.length; i++) {
                assertTrue(t[i] > t[i - 1]);
            }
            assertTrue(s.cpuRequestCores() >= 1 && s.memoryRequestBytes() > 0);
            missingMemory += s.size() - s.memorySamples();
        }
        assertTrue(missingMemory > 0, "the source has unmeasured memory; it must come through as NaN");
        assertTrue(keys.contains(new SeriesKey("shop", "web", "db")));
    }

    @Test
    void acceptsGapsIntervalsEmptyMemoryAndCrlf() throws IOException {
        List<ContainerSeries> s = read(TraceReader.HEADER + "\r\n"
                + "100,ns,a,app,0.5,1000,1,2000\r\n"
                + "160,ns,a,app,0.25,,1,2000\r\n"
                + "1000,ns,a,app,1.5,3000,2,4000\r\n"
                + "50,ns,b,app,0,0,,\r\n");
        assertEquals(2, s.size());
        ContainerSeries a = s.get(0);
        assertEquals(new SeriesKey("ns", "a", "app"), a.key());
        assertArrayEquals(new long[] {100, 160, 1000}, a.timestamps());
        assertArrayEquals(new double[] {0.5, 0.25, 1.5}, a.cpuCores());
        assertArrayEquals(new double[] {1000, Double.NaN, 3000}, a.memoryBytes());
        assertEquals(2, a.cpuRequestCores(), "the last request is the current one");
        assertEquals(4000, a.memoryRequestBytes());
        assertEquals(2, a.memorySamples());
        ContainerSeries b = s.get(1);
        assertEquals(1, b.size());
        assertTrue(Double.isNaN(b.cpuRequestCores()) && Double.isNaN(b.memoryRequestBytes()));
    }

    @Test
    void acceptsASeriesResumedAfterOthersWhenItsTimeGoesOn() throws IOException {
        // The development trace comes in monthly runs: every VM for June, then every VM for July, ...
        List<ContainerSeries> s = read(H + "1,n,a,c,0.1,5,1,10\n2,n,a,c,0.2,5,1,10\n1,n,b,c,0.3,5,1,10\n"
                + "9,n,a,c,0.4,5,2,20\n");
        assertEquals(2, s.size());
        assertArrayEquals(new long[] {1, 2, 9}, s.get(0).timestamps());
        assertArrayEquals(new double[] {0.1, 0.2, 0.4}, s.get(0).cpuCores());
        assertEquals(20, s.get(0).memoryRequestBytes());
        assertArrayEquals(new long[] {1}, s.get(1).timestamps());
    }

    @Test
    void acceptsEmptyCpuAsUnmeasuredForAMemoryOnlySeries() throws IOException {
        List<ContainerSeries> s = read(H + "1,n,w,c,,5,1,10\n2,n,w,c,,6,,\n");
        assertEquals(1, s.size());
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, s.get(0).cpuCores());
        assertArrayEquals(new double[] {5, 6}, s.get(0).memoryBytes());
    }

    @Test
    void detectsGzipByContentNotName() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write((H + "1,n,w,c,0.1,5,1,10\n").getBytes(StandardCharsets.UTF_8));
        }
        List<ContainerSeries> s = new TraceReader().read(new ByteArrayInputStream(bytes.toByteArray()), "plain.csv");
        assertEquals(1, s.size());
        assertArrayEquals(new double[] {0.1}, s.get(0).cpuCores());
    }

    @Test
    void headerOnlyIsAnEmptyTrace() throws IOException {
        assertEquals(List.of(), read(H));
    }

    @Test
    void aGzipTraceCutShortIsAFormatErrorAtTheLineItBrokeOff() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder csv = new StringBuilder(H);
        for (int i = 0; i < 20_000; i++) {
            csv.append(i).append(",n,w,c,0.").append(i % 97).append(",5,1,10\n");
        }
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = bytes.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> new TraceReader().read(new ByteArrayInputStream(cut), "cut.csv.gz"));
        assertTrue(e.getMessage().matches("cut\\.csv\\.gz line \\d+: the gzip data ends in the middle of the file: it is"
                + " cut short \\(an interrupted download or copy\\?\\)"), e.getMessage());
        assertTrue(e.line() > 2 && e.line() < 20_002, e.getMessage());
        // Damaged in the middle rather than cut: the inflater's own reason, at a line.
        byte[] damaged = whole.clone();
        for (int k = whole.length / 3; k < whole.length / 3 + 64; k++) {
            damaged[k] = (byte) 0xff;
        }
        TraceFormatException d = assertThrows(TraceFormatException.class,
                () -> new TraceReader().read(new ByteArrayInputStream(damaged), "damaged.csv.gz"));
        assertTrue(d.getMessage().startsWith("damaged.csv.gz line "), d.getMessage());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
            "1,n,w,c,0.1,5,1,10\\n2,n,w,c,0.1,5,1                       | 3 | expected 8 columns, found 7",
            "1,n,w,c,0.1,5,1,10,7                                        | 2 | expected 8 columns, found 9",
            "1,n,w,c,0.1,5,1,10\\n\\n2,n,w,c,0.1,5,1,10                  | 3 | expected 8 columns, found 0",
            "1,n,w,c,abc,5,1,10                                          | 2 | cpu_cores is not a number: 'abc'",
            "1,n,w,c,0.1,5,1,10\\n2,n,w,c,0.1,5x,1,10                    | 3 | memory_bytes is not a number: '5x'",
            "1,n,w,c,NaN,5,1,10                                          | 2 | cpu_cores is not a number: 'NaN'",
            "1,n,w,c,,,1,10                                              | 2 | empty cpu_cores and memory_bytes",
            "1.5,n,w,c,0.1,5,1,10                                        | 2 | timestamp is not a whole number of seconds: '1.5'",
            "1,n,w,c,0.1,-5,1,10                                         | 2 | memory_bytes is negative: -5",
            "-1,n,w,c,0.1,5,1,10                                         | 2 | timestamp is negative: -1",
            "1700000000000,n,w,c,0.1,5,1,10                              | 2 | timestamp 1700000000000 is after the year 9999: it must be Unix seconds (milliseconds divided by 1000)",
            "1,n,w,c,0.1,5,-1,10                                         | 2 | cpu_request_cores is negative: -1",
            "1,n,,c,0.1,5,1,10                                           | 2 | empty workload",
            "5,n,w,c,0.1,5,1,10\\n4,n,w,c,0.1,5,1,10                     | 3 | series n/w/c not sorted by time: timestamp 4 does not follow 5",
            "5,n,w,c,0.1,5,1,10\\n5,n,w,c,0.1,5,1,10                     | 3 | series n/w/c has two samples at timestamp 5: each series needs one sample per timestamp",
            "5,n,w,c,0.1,5,1,10\\n1,n,v,c,0.1,5,1,10\\n3,n,w,c,0.1,5,1,10 | 4 | series n/w/c not sorted by time: timestamp 3 does not follow 5",
    })
    void rejectsAMalformedRowNamingItsLine(String rows, long line, String problem) {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read(H + rows.strip().replace("\\n", "\n") + "\n"));
        assertEquals(line, e.line());
        assertTrue(e.getMessage().startsWith("test.csv line " + line + ": " + problem), e.getMessage());
    }

    @Test
    void rejectsAWrongHeaderOnLineOne() {
        TraceFormatException e = assertThrows(TraceFormatException.class,
                () -> read("timestamp,namespace,workload,container,cpu,memory_bytes,cpu_request_cores,"
                        + "memory_request_bytes\n1,n,w,c,0.1,5,1,10\n"));
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("header mismatch"), e.getMessage());
        assertEquals(1, assertThrows(TraceFormatException.class, () -> read("")).line());
    }
}
