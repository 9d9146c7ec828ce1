package io.chathub.config;

import io.chathub.ChatHub;
import io.chathub.testing.TestDatabases;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server with the demo company (login demo, password demo) listens on this machine only unless told otherwise.
 * 127.0.0.2 is another loopback address of this machine: a server bound to 127.0.0.1 does not answer there, one
 * bound to every interface does.
 */
class ListenAddressTest {

    private static boolean accepts(String address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static Map<String, String> env(TestDatabases.TestDatabase db, String... pairs) {
        Map<String, String> env = new HashMap<>(db.env());
        env.put("CHATHUB_PORT", "0");
        env.put("CHATHUB_JWT_SECRET", io.chathub.testing.TestServer.JWT_SECRET);
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return env;
    }

    @Test
    void withTheDemoCompanyTheServerListensOnLoopbackOnly() {
        try (var db = TestDatabases.sqlite(); ChatHub hub = ChatHub.start(Config.fromEnv(env(db), true))) {
            assertThat(hub.config().host()).isEqualTo("127.0.0.1");
            assertThat(accepts("127.0.0.1", hub.port())).isTrue();
            assertThat(accepts("127.0.0.2", hub.port())).as("another address of this machine").isFalse();
        }
    }

    @Test
    void chathubHostOpensTheDemoServerToOtherAddresses() {
        try (var db = TestDatabases.sqlite();
             ChatHub hub = ChatHub.start(Config.fromEnv(env(db, "CHATHUB_HOST", "0.0.0.0"), true))) {
            assertThat(accepts("127.0.0.2", hub.port())).isTrue();
        }
    }

    @Test
    void withoutDemoDataTheServerListensOnEveryInterface() {
        try (var db = TestDatabases.sqlite(); ChatHub hub = ChatHub.start(Config.fromEnv(env(db), false))) {
            assertThat(hub.config().host()).isEqualTo("0.0.0.0");
            assertThat(accepts("127.0.0.2", hub.port())).isTrue();
        }
        try (var db = TestDatabases.sqlite();
             ChatHub hub = ChatHub.start(Config.fromEnv(env(db, "CHATHUB_DEMO", "false"), true))) {
            assertThat(hub.config().host()).isEqualTo("0.0.0.0");
        }
    }
}
