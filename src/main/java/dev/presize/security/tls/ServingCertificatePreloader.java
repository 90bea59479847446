package dev.presize.security.tls;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;

/**
 * Loads (or generates) the serving certificate as soon as the server bean exists, on the thread
 * that starts the application. Left to Micronaut, the provider would first be created on a Netty
 * event loop while binding, where a bad flag or file only shows up as "Unable to start Micronaut
 * server" with our message lost in the log. This way a {@link TlsConfigurationException} reaches
 * the caller of {@code ApplicationContext.run} / {@code Micronaut.run} in the cause chain.
 */
@Singleton
final class ServingCertificatePreloader implements BeanCreatedEventListener<EmbeddedServer> {

    private final BeanProvider<ServingCertificateProvider> provider;

    ServingCertificatePreloader(BeanProvider<ServingCertificateProvider> provider) {
        this.provider = provider;
    }

    @Override
    public EmbeddedServer onCreated(BeanCreatedEvent<EmbeddedServer> event) {
        provider.get();
        return event.getBean();
    }
}
