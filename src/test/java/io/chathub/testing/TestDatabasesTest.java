package io.chathub.testing;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test databases themselves: fresh, cleaned up, and never silently missing. */
class TestDatabasesTest {

    @Test
    void sqliteDatabaseLivesInATempDirThatCloseDeletes() throws Exception {
        TestDatabases.TestDatabase db = TestDatabases.create("sqlite");
        assertThat(db.dataDir()).isDirectory();
        assertThat(db.dbUrl()).isNull();
        Files.writeString(db.dataDir().resolve("chathub.db"), "x");

        db.close();

        assertThat(db.dataDir()).doesNotExist();
    }

    @Test
    void postgresDatabaseIsAFreshSchemaThatCloseDrops() throws Exception {
        TestDatabases.TestDatabase db = TestDatabases.create("postgres");
        String schema = db.dbUrl().substring(db.dbUrl().indexOf("currentSchema=") + "currentSchema=".length());
        String server = db.dbUrl().substring(0, db.dbUrl().indexOf('?'));
        assertThat(schema).startsWith("t_");
        assertThat(schemaExists(server, schema)).isTrue();

        db.close();

        assertThat(schemaExists(server, schema)).isFalse();
        assertThat(db.dataDir()).doesNotExist();
    }

    @Test
    void unreachablePostgresFailsLoudlyInsteadOfSkipping() {
        assertThatThrownBy(() -> TestDatabases.postgres("127.0.0.1", "1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never skipped")
                .hasMessageContaining("127.0.0.1:1");
    }

    @Test
    void unknownKindIsRefused() {
        assertThatThrownBy(() -> TestDatabases.create("oracle")).isInstanceOf(IllegalArgumentException.class);
    }

    private static boolean schemaExists(String server, String schema) throws Exception {
        try (var c = DriverManager.getConnection(server, "postgres", null);
             var s = c.prepareStatement("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")) {
            s.setString(1, schema);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 1;
            }
        }
    }
}
