package dev.presize.config;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.runtime.graceful.GracefulShutdownConfiguration;
import jakarta.inject.Singleton;

/**
 * Shutdown lets requests in flight finish for at most {@code --request-timeout}, since no request may
 * take longer. Set here rather than as {@code ${presize.request-timeout}} in application.yml because
 * Micronaut's own duration converter does not read Go's {@code 1h30m}.
 */
@Singleton
final class GracePeriod implements BeanCreatedEventListener<GracefulShutdownConfiguration> {

    private final ProtectionSettings protection;

    GracePeriod(ProtectionSettings protection) {
        this.protection = protection;
    }

    @Override
    public GracefulShutdownConfiguration onCreated(BeanCreatedEvent<GracefulShutdownConfiguration> event) {
        event.getBean().setGracePeriod(protection.requestTimeout());
        return event.getBean();
    }
}
