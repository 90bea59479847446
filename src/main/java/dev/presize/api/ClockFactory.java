package dev.presize.api;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The wall clock as a bean, so anything time-dependent (Table AGE cells) can be tested with a fixed one. */
@Factory
public class ClockFactory {

    @Singleton
    public Clock clock() {
        return Clock.systemUTC();
    }
}
