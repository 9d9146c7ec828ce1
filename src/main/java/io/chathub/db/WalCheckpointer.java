package io.chathub.db;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Copies SQLite's write-ahead log into the database file in the background, on a connection of its own, so that
 * the single writer rarely has to. SQLite's automatic checkpoint runs inside a commit of the writer — the message
 * writer, whose next batch waits meanwhile — and with {@code synchronous=NORMAL} it is also where the fsyncs are.
 * A PASSIVE checkpoint runs alongside the writer without blocking it; a RESTART, once the log is long, makes the
 * writer start the log over. The writer keeps a high automatic-checkpoint threshold only as a safety valve.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    private final Connection connection;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("chathub-sqlite-checkpoint").daemon(true).factory());

    WalCheckpointer(String url, Duration every) {
        try {
            this.connection = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the checkpoint connection to " + url, e);
        }
        timer.scheduleWithFixedDelay(this::checkpoint, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void checkpoint() {
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            log.debug("wal checkpoint: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the checkpoint connection: {}", e.toString());
        }
    }
}
