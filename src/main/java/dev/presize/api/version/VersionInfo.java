package dev.presize.api.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

/**
 * k8s.io/apimachinery/pkg/version.Info, the body of {@code GET /version}: every field is present
 * (Go's struct has no omitempty), so clients that decode it strictly find what they expect.
 * {@code goVersion} and {@code compiler} name the Java runtime and compiler instead of Go's.
 */
public record VersionInfo(String major, String minor, String gitVersion, String gitCommit, String gitTreeState,
                          String buildDate, String goVersion, String compiler, String platform) {

    /** Written at build time by git-commit-id-maven-plugin (see pom.xml). */
    static final String RESOURCE = "/presize-build.properties";

    /** What the build recorded; fields it could not know (a build outside git) are empty, not invented. */
    public static VersionInfo ofThisBuild() {
        Properties p = new Properties();
        try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the class path", e);
        }
        return of(p, System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    static VersionInfo of(Properties build, String javaVersion, String osName, String osArch) {
        String version = build.getProperty("git.build.version", "");
        String[] parts = version.split("[.-]");
        String dirty = build.getProperty("git.dirty", "");
        return new VersionInfo(
                parts.length > 0 ? parts[0] : "",
                parts.length > 1 ? parts[1] : "",
                version.isEmpty() ? "" : "v" + version,
                build.getProperty("git.commit.id", ""),
                dirty.isEmpty() ? "" : Boolean.parseBoolean(dirty) ? "dirty" : "clean",
                build.getProperty("git.build.time", ""),
                javaVersion == null ? "" : "java" + javaVersion,
                "javac",
                goOs(osName) + "/" + goArch(osArch));
    }

    /** Go's GOOS names, which {@code platform} is written in. */
    static String goOs(String osName) {
        String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return "darwin";
        }
        return os.startsWith("windows") ? "windows" : os.replace(' ', '_');
    }

    /** Go's GOARCH names: the JVM says amd64 or x86_64, aarch64, ppc64le, s390x. */
    static String goArch(String osArch) {
        String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
    }
}
