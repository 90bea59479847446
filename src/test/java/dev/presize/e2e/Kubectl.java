package dev.presize.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real kubectl installed on the machine against a kubeconfig, with a hard timeout. */
final class Kubectl {

    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    private final Path kubeconfig;

    Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("presize.kubectl", "kubectl"));
        command.add("--kubeconfig=" + kubeconfig);
        // A fresh cache dir per run: kubectl caches discovery, and a stale cache would hide bugs.
        command.add("--cache-dir=" + kubeconfig.getParent().resolve("kubectl-cache-" + System.nanoTime()));
        command.add("--request-timeout=20s");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var out = p.getInputStream();
            var err = p.getErrorStream();
            var stdout = new java.util.concurrent.CompletableFuture<String>();
            var stderr = new java.util.concurrent.CompletableFuture<String>();
            daemon(() -> stdout.complete(read(out)));
            daemon(() -> stderr.complete(read(err)));
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(p.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A kubectl that keeps running (get -w): its output lines as they come, stopped by {@link #close()}. */
    static final class Streaming implements AutoCloseable {
        final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        final StringBuffer stderr = new StringBuffer();
        private final Process process;

        private Streaming(Process process) {
            this.process = process;
            daemon(() -> {
                try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // the process was stopped
                }
            });
            daemon(() -> stderr.append(read(process.getErrorStream())));
        }

        /** The next line that contains all of {@code parts}, skipping others; fails after a generous wait. */
        String awaitLine(String... parts) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null && java.util.Arrays.stream(parts).allMatch(line::contains)) {
                    return line;
                }
                if (line == null && !process.isAlive() && lines.isEmpty()) {
                    break;
                }
            }
            throw new AssertionError("kubectl printed no line with " + java.util.Arrays.toString(parts)
                    + (process.isAlive() ? "" : " and exited " + process.exitValue()) + "; stderr: " + stderr);
        }

        boolean alive() {
            return process.isAlive();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    Streaming start(String... args) {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("presize.kubectl", "kubectl"));
        command.add("--kubeconfig=" + kubeconfig);
        command.add("--cache-dir=" + kubeconfig.getParent().resolve("kubectl-cache-" + System.nanoTime()));
        command.addAll(List.of(args));
        try {
            return new Streaming(new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start());
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl: " + e.getMessage(), e);
        }
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "kubectl-output");
        t.setDaemon(true);
        t.start();
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
