package dev.presize.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the server listens and which certificate it serves, as k8s.io/apiserver's SecureServingOptions.
 * application.yml hands {@code secure-port} and {@code bind-address} to Micronaut's server.
 */
public record ServingSettings(int securePort, String bindAddress, Optional<Path> tlsCertFile, Optional<Path> tlsPrivateKeyFile,
                              Path certDir, List<String> tlsSans, Duration tlsReloadInterval) {

    static ServingSettings from(Values v) {
        return new ServingSettings(v.get(ServerFlags.SECURE_PORT), v.get(ServerFlags.BIND_ADDRESS), v.get(ServerFlags.TLS_CERT_FILE),
                v.get(ServerFlags.TLS_PRIVATE_KEY_FILE), v.get(ServerFlags.CERT_DIR), v.get(ServerFlags.TLS_SANS),
                v.get(ServerFlags.TLS_RELOAD_INTERVAL));
    }
}
