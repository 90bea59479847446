package dev.presize.cli;

import dev.presize.config.ServingSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The demo serves without authentication, so it must never be reachable from another machine:
 * refuse to start in demo mode unless bound to a loopback address, however it was configured.
 */
@Context
@Requires(property = "presize.demo", value = "true")
public class DemoModeGuard {

    public DemoModeGuard(ServingSettings serving) {
        String host = serving.bindAddress();
        boolean loopback;
        try {
            loopback = !host.isBlank() && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw new IllegalStateException("--demo serves without authentication and binds only to loopback; "
                    + "--bind-address=" + host + " is not a loopback address (use 127.0.0.1)");
        }
    }
}
