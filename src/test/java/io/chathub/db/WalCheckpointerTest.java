package io.chathub.db;

import io.chathub.config.Config;
import io.chathub.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** SQLite's write-ahead log is copied into the database file in the background, not only by the writer. */
class WalCheckpointerTest {

    @Test
    void committedPagesReachTheDatabaseFileWithoutTheWriterCheckpointing() throws Exception {
        try (var testDb = TestDatabases.sqlite()) {
            Config config = testDb.config().build();
            Path file = Path.of(config.effectiveDbUrl().substring("jdbc:sqlite:".length()));
            try (Database db = Database.open(config, new SimpleMeterRegistry())) {
                Thread.sleep(500); // whatever the migrations left in the log is copied by now
                long before = Files.size(file);
                // ~200 pages: far below the writer's own automatic checkpoint (1,000 pages), so only the
                // background checkpoint can move them into the database file.
                db.tx(h -> h.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, pad TEXT)"));
                for (int i = 0; i < 20; i++) {
                    db.tx(h -> h.createUpdate("INSERT INTO filler (pad) VALUES (:pad)")
                            .bind("pad", "x".repeat(40_000)).execute());
                }

                long deadline = System.nanoTime() + 5_000_000_000L;
                while (Files.size(file) <= before && System.nanoTime() < deadline) Thread.sleep(50);

                assertThat(Files.size(file)).as("database file size after the writes").isGreaterThan(before + 500_000);
            }
        }
    }
}
