package io.chathub.visitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.config.Config;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import io.chathub.testing.TestVisitor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The widget's abuse limits, each on a server of its own with a small limit (every test talks from 127.0.0.1):
 * new sessions and new chats per address, messages per visitor, the text length. A refused call is a readable
 * 429 or 413 problem and stores nothing.
 */
class VisitorLimitsTest {
    static final String SHOP = "https://shop.example.com";

    private record Site(TestServer server, TestTenant tenant, String guid) {}

    private static TestServer server(UnaryOperator<Config.WidgetSettings> limits) {
        return TestServer.start("sqlite", b -> b.widget(limits.apply(Config.builder().build().widget())));
    }

    private static Site site(TestServer server) {
        TestTenant tenant = server.newTenant();
        long org = tenant.organization("Shop");
        tenant.updateOrganization(org, Map.of("allowedOrigins", List.of(SHOP)));
        return new Site(server, tenant, tenant.widgetGuid(org));
    }

    private static long chats(Site site) {
        return site.server().api().get("/api/chat/chats").bearer(site.tenant().token()).send().json().get("total").longValue();
    }

    @Test
    void aVisitorsMessagesBeyondItsLimitAre429AndNotStored() {
        try (TestServer server = server(w -> w.withMessagesPerVisitor(new Config.Rate(3, Duration.ofMinutes(1))))) {
            Site site = site(server);
            TestVisitor olena = TestVisitor.arrive(server, site.guid(), SHOP);
            for (int i = 1; i <= 3; i++) olena.send("message " + i);

            var r = olena.authed("POST", "messages").json(Map.of("textMessage", "message 4")).send();
            JsonNode p = assertProblem(r, 429);
            assertThat(p.get("detail").asText()).startsWith("Too many messages");
            assertThat(r.header("Retry-After")).isPresent();
            assertThat(olena.messages("")).hasSize(3);
            TestVisitor other = TestVisitor.arrive(server, site.guid(), SHOP);
            assertThat(other.send("Another visitor is not limited by Olena").get("seq").longValue()).isEqualTo(1);
        }
    }

    @Test
    void aTextOverTheLimitIs413AndNotStored() {
        try (TestServer server = server(w -> w)) {
            Site site = site(server);
            TestVisitor bram = TestVisitor.arrive(server, site.guid(), SHOP);
            JsonNode p = assertProblem(bram.authed("POST", "messages").json(Map.of("textMessage", "x".repeat(4_001))).send(), 413);
            assertThat(p.get("detail").asText()).contains("4000 characters");
            assertThat(bram.messages("")).isEmpty();
            assertThat(chats(site)).isZero();
            assertThat(bram.send("x".repeat(4_000)).get("message").asText()).hasSize(4_000);
        }
    }

    @Test
    void newChatsFromOneAddressBeyondItsLimitAre429AndCreateNothing() {
        try (TestServer server = server(w -> w.withChatsPerIp(new Config.Rate(2, Duration.ofHours(12))))) {
            Site site = site(server);
            TestVisitor first = TestVisitor.arrive(server, site.guid(), SHOP);
            first.send("Chat one");
            TestVisitor.arrive(server, site.guid(), SHOP).send("Chat two");

            TestVisitor third = TestVisitor.arrive(server, site.guid(), SHOP);
            JsonNode p = assertProblem(third.authed("POST", "messages").json(Map.of("textMessage", "Chat three")).send(), 429);
            assertThat(p.get("detail").asText()).startsWith("Too many new chats");
            assertThat(chats(site)).isEqualTo(2);
            assertThat(third.messages("")).isEmpty();
            assertThat(first.send("An open chat still takes messages").get("seq").longValue()).isEqualTo(2);
        }
    }

    @Test
    void newSessionsFromOneAddressAreLimitedButAReturningBrowserIsNot() {
        try (TestServer server = server(w -> w.withSessionsPerIp(new Config.Rate(3, Duration.ofHours(1))))) {
            Site site = site(server);
            TestVisitor kept = TestVisitor.arrive(server, site.guid(), SHOP);
            TestVisitor.arrive(server, site.guid(), SHOP);
            TestVisitor.arrive(server, site.guid(), SHOP);

            var r = server.api().post("/api/widget/" + site.guid() + "/session").header("Origin", SHOP).json(Map.of()).send();
            assertThat(assertProblem(r, 429).get("detail").asText()).startsWith("Too many new visitor sessions");
            assertThat(kept.sameBrowser().visitorId()).as("a returning browser is no new session").isEqualTo(kept.visitorId());
        }
    }
}
