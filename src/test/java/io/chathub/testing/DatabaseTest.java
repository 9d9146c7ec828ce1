package io.chathub.testing;

import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Base of the tests that need a database but start no server of their own (the command line, a server in a child
 * process): a subclass runs once on SQLite and once on PostgreSQL, each time on a fresh database created before its
 * first test and dropped after its last.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
public abstract class DatabaseTest {
    protected static TestDatabases.TestDatabase testDatabase;

    /** "sqlite" or "postgres": the database of this run. */
    @Parameter
    protected String database;

    @BeforeParameterizedClassInvocation
    static void createDatabase(String database) {
        testDatabase = TestDatabases.create(database);
    }

    @AfterParameterizedClassInvocation
    static void dropDatabase() {
        testDatabase.close();
    }
}
