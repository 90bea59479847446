package dev.presize.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Map;

/**
 * A Secret, ConfigMap or projected volume as the kubelet writes it: the files of each version in a
 * directory of their own, {@code ..data} a symlink to the current one (swapped atomically), and
 * each file name a symlink through {@code ..data}. Replacing the content swaps one symlink; the
 * file names never change.
 */
public final class SecretVolume {

    private SecretVolume() {
    }

    /** Writes {@code files} (name → content) as {@code version} and makes it the current one. */
    public static void mount(Path volume, String version, Map<String, String> files) throws IOException {
        Files.createDirectories(volume.resolve(version));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(volume.resolve(version).resolve(f.getKey()), f.getValue());
        }
        link(volume, version, files.keySet());
    }

    /** Makes {@code version} (already written under {@code volume}) the current one. */
    public static void link(Path volume, String version, Collection<String> names) throws IOException {
        Path tmp = volume.resolve("..data_tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of(version));
        Files.move(tmp, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String name : names) {
            if (!Files.exists(volume.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(volume.resolve(name), Path.of("..data", name));
            }
        }
    }
}
