package dev.presize.backtest;

import dev.presize.history.TraceReader;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes rows of the trace format that {@link TraceReader} reads (bench/traces/README.md): header
 * first, then one row per sample, empty fields for what was not measured. CPU is written to the
 * microcore (far below the millicores requests are set in), bytes as whole numbers, both in plain
 * decimal notation (no exponents), so other tools read the file as easily as Presize does.
 *
 * <p>Every failure is a {@link WriteFailure}, so a caller can tell a full disk from a Prometheus error.
 */
final class TraceCsvWriter implements Closeable {

    /** Writing the file failed; the message is the reason. */
    static final class WriteFailure extends IOException {
        WriteFailure(IOException cause) {
            super(BacktestCommand.reason(cause), cause);
        }
    }

    private final FileOutputStream file;
    private final OutputStream compressed;
    private final BufferedWriter out;
    private long rows;

    TraceCsvWriter(Path path, boolean gzip) throws WriteFailure {
        try {
            file = new FileOutputStream(path.toFile());
            compressed = gzip ? new GZIPOutputStream(file, 1 << 16) : file;
            out = new BufferedWriter(new OutputStreamWriter(compressed, StandardCharsets.UTF_8), 1 << 16);
            out.write(TraceReader.HEADER);
            out.write('\n');
        } catch (IOException e) {
            throw new WriteFailure(e);
        }
    }

    /** One sample; NaN is an empty field. At least one of cpu and memory must be a number. */
    void row(String namespace, String workload, String container, long timestamp, double cpuCores, double memoryBytes,
             double cpuRequestCores, double memoryRequestBytes) throws WriteFailure {
        try {
            out.write(Long.toString(timestamp));
            out.write(',');
            out.write(namespace);
            out.write(',');
            out.write(workload);
            out.write(',');
            out.write(container);
            out.write(',');
            out.write(cores(cpuCores));
            out.write(',');
            out.write(bytes(memoryBytes));
            out.write(',');
            out.write(cores(cpuRequestCores));
            out.write(',');
            out.write(bytes(memoryRequestBytes));
            out.write('\n');
        } catch (IOException e) {
            throw new WriteFailure(e);
        }
        rows++;
    }

    long rows() {
        return rows;
    }

    /** Ends the gzip stream, flushes and forces the bytes to disk: after this the file is complete. */
    void finish() throws WriteFailure {
        try {
            out.flush();
            if (compressed instanceof GZIPOutputStream gz) {
                gz.finish();
            }
            file.flush();
            file.getFD().sync();
            out.close();
        } catch (IOException e) {
            throw new WriteFailure(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    static String cores(double v) {
        return Double.isNaN(v) ? "" : BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    static String bytes(double v) {
        return Double.isNaN(v) ? "" : BigDecimal.valueOf(v).setScale(0, RoundingMode.HALF_UP).toPlainString();
    }
}
