package io.chathub.testing;

import io.chathub.config.Config;

import java.util.function.UnaryOperator;

/**
 * Two ChatHub nodes on one fresh PostgreSQL database, sharing events over the local NATS on a subject prefix of their
 * own (a missing NATS fails the test, never skips it). Closing stops both and drops the database.
 */
public record TestCluster(TestServer nodeA, TestServer nodeB) implements AutoCloseable {
    public static TestCluster start() {
        return start(b -> b);
    }

    /** Both nodes with the same adjustments. */
    public static TestCluster start(UnaryOperator<Config.Builder> customize) {
        return start(Nats.url(), customize);
    }

    /** Both nodes on the NATS at {@code url} (e.g. a {@link PrivateNats}'s), with the same adjustments. */
    public static TestCluster start(String url, UnaryOperator<Config.Builder> customize) {
        String prefix = Nats.freshPrefix();
        TestServer a = TestServer.start("postgres", b -> customize.apply(b.natsUrl(url).natsSubjectPrefix(prefix)));
        try {
            return new TestCluster(a, a.join(b -> customize.apply(b.natsUrl(url).natsSubjectPrefix(prefix))));
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            nodeB.close();
        } finally {
            nodeA.close();
        }
    }
}
