package io.chathub.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the server logs in this JVM while attached, as text (message, exception messages and stack frames):
 * for tests that check what never appears in a log.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();

    public static LogCapture attach() {
        var capture = new LogCapture();
        capture.setName("test-capture");
        capture.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
        capture.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent e) {
        StringBuilder b = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            b.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) b.append("\n\t").append(s.getSTEAsString());
        }
        synchronized (lines) {
            lines.add(b.toString());
        }
    }

    public String text() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this);
        stop();
    }
}
