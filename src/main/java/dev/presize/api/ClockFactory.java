package dev.presize.api;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Secondary;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The wall clock as a bean, so anything time-dependent (Table AGE cells, cache expiry, the refresh
 * grid) can be tested with another one. {@code @Secondary}: a clock registered with the context
 * ({@code ApplicationContext.builder().singletons(clock)}) wins over this one, which is how a test
 * runs the whole server at the time of its recorded history.
 */
@Factory
public class ClockFactory {

    @Singleton
    @Secondary
    public Clock clock() {
        return Clock.systemUTC();
    }
}
