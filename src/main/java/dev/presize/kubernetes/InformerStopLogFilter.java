package dev.presize.kubernetes;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops client-java's ERROR lines (with stack traces) that stopping an informer causes: stopping
 * interrupts its processing loop and listener threads, and client-java logs each interrupt as an
 * error ({@code DefaultController#processLoop get interrupted}, {@code processor interrupted}).
 * Nothing failed; an operator reading the log of a clean SIGTERM should not see eight traces.
 * Only events from client-java's informer classes carrying an InterruptedException are dropped,
 * so its other errors still show. Installed in logback.xml.
 */
public class InformerStopLogFilter extends Filter<ILoggingEvent> {

    @Override
    public FilterReply decide(ILoggingEvent event) {
        if (!event.getLoggerName().startsWith("io.kubernetes.client.informer")) {
            return FilterReply.NEUTRAL;
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        return thrown != null && InterruptedException.class.getName().equals(thrown.getClassName())
                ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
