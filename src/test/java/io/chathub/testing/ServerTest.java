package io.chathub.testing;

import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Base of the tests that run against one real server per database: a subclass runs once on SQLite and once on
 * PostgreSQL, each time against a fresh server started before its first test and stopped after its last.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
public abstract class ServerTest {
    protected static TestServer server;

    /** "sqlite" or "postgres": the database of this run. */
    @Parameter
    protected String database;

    @BeforeParameterizedClassInvocation
    static void startServer(String database) {
        server = TestServer.start(database);
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
    }
}
