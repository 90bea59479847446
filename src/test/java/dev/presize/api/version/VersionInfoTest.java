package dev.presize.api.version;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class VersionInfoTest {

    @Test
    void fieldsComeFromTheBuildProperties() {
        Properties p = new Properties();
        p.setProperty("git.build.version", "1.4.2-SNAPSHOT");
        p.setProperty("git.commit.id", "0123456789abcdef0123456789abcdef01234567");
        p.setProperty("git.dirty", "true");
        p.setProperty("git.build.time", "2026-12-02T10:00:00Z");
        assertEquals(new VersionInfo("1", "4", "v1.4.2-SNAPSHOT", "0123456789abcdef0123456789abcdef01234567", "dirty",
                "2026-12-02T10:00:00Z", "java17.0.15", "javac", "linux/amd64"),
                VersionInfo.of(p, "17.0.15", "Linux", "amd64"));
    }

    @Test
    void aBuildOutsideGitLeavesItsFieldsEmptyRatherThanInventingThem() {
        VersionInfo v = VersionInfo.of(new Properties(), "21", "Mac OS X", "aarch64");
        assertEquals(new VersionInfo("", "", "", "", "", "", "java21", "javac", "darwin/arm64"), v);
    }

    @Test
    void platformUsesGoNames() {
        assertEquals("amd64", VersionInfo.goArch("x86_64"));
        assertEquals("arm64", VersionInfo.goArch("aarch64"));
        assertEquals("s390x", VersionInfo.goArch("s390x"));
        assertEquals("windows", VersionInfo.goOs("Windows 11"));
    }
}
