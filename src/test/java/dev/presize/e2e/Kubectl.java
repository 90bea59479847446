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
