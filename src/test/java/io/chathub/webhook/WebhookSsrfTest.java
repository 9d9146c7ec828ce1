package io.chathub.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import io.chathub.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without CHATHUB_WEBHOOKS_ALLOW_PRIVATE (the default) a webhook cannot point at this machine or the private
 * network, on both databases: refused when made or changed, and not connected to when its host resolves to such an
 * address by the time of a delivery.
 */
class WebhookSsrfTest extends ServerTest {
    static final List<String> REFUSED = List.of(
            "http://127.0.0.1:8080/hooks", "http://2130706433/hooks", "http://localhost/hooks", "http://LocalHost/hooks",
            "http://[::1]/hooks", "http://[::ffff:127.0.0.1]/hooks", "http://[::ffff:7f00:1]/",
            "http://0.0.0.0/", "http://[::]/", "http://10.1.2.3/hooks", "http://172.16.0.1/hooks", "http://172.31.255.255/",
            "http://192.168.1.10/hooks", "http://100.64.0.1/", "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/hooks", "http://[fd00::1]/hooks", "http://[fc00::5]/", "http://224.0.0.1/",
            "http://[ff02::1]/", "http://255.255.255.255/", "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::]/",
            "https://127.0.0.1/hooks");

    @Test
    void theDefaultRefusesPrivateAddresses() {
        assertThat(server.hub().config().webhooks().allowPrivate()).isFalse();
    }

    @Test
    void aUrlThatResolvesToLoopbackLinkLocalOrPrivateIsRefusedWith400NamingUrl() {
        TestTenant tenant = server.newTenant();
        for (String url : REFUSED) {
            Api.Response r = tenant.api().post("/api/company/webhooks").bearer(tenant.token())
                    .json(Map.of("url", url, "events", List.of("chat.created"))).send();
            JsonNode p = assertBadRequest(r, "url");
            assertThat(p.get("detail").asText()).as("%s", url).contains("not allowed").contains("address");
        }
        // not a host at all to java.net.URI, though some resolvers read it as 127.0.0.1
        assertBadRequest(tenant.api().post("/api/company/webhooks").bearer(tenant.token())
                .json(Map.of("url", "http://127.1/hooks", "events", List.of("chat.created"))).send(), "url");
        assertThat(tenant.api().get("/api/company/webhooks").bearer(tenant.token()).send().json()).as("nothing stored").isEmpty();
    }

    @Test
    void aChangeToAPrivateUrlIsRefusedToo() {
        TestTenant tenant = server.newTenant();
        // a public address literal: resolving it needs no DNS, and nothing is delivered in this test
        var made = tenant.api().post("/api/company/webhooks").bearer(tenant.token())
                .json(Map.of("url", "https://203.0.113.7/hooks", "events", List.of("chat.created"))).send();
        assertThat(made.status()).isEqualTo(201);
        long id = made.json().get("id").longValue();
        var r = tenant.api().put("/api/company/webhooks/" + id).bearer(tenant.token())
                .json(Map.of("url", "http://169.254.169.254/latest/meta-data/")).send();
        assertBadRequest(r, "url");
        var after = tenant.api().get("/api/company/webhooks/" + id).bearer(tenant.token()).send().json();
        assertThat(after.get("url").asText()).isEqualTo("https://203.0.113.7/hooks");
    }

    /**
     * A webhook made while its host was allowed (here: on a server that allowed private addresses) whose host now
     * resolves to loopback is checked again at the delivery and never connected to.
     */
    @Test
    void aDeliveryToANameThatResolvesToLoopbackIsNotMade() {
        TestServer open = TestServer.start(database, b -> b.webhooks(WebhookTest.settings()));
        TestServer closed = open;
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            TestTenant tenant = open.newTenant();
            long org = tenant.organization("Support");
            JsonNode hook = WebhookTest.webhook(tenant, receiver.url("localhost"), "chat.created");

            closed = open.restart(b -> b.webhooks(WebhookTest.settings().withAllowPrivate(false)));
            TestTenant same = new TestTenant(closed, tenant.companyId(), tenant.login(), tenant.password(), tenant.token());
            same.newChat(org);
            JsonNode log = WebhookTest.awaitLog(same, hook.get("id").longValue(),
                    l -> l.size() == 1 && l.get(0).get("attempts").intValue() >= 2);
            JsonNode d = log.get(0);
            assertThat(d.get("lastError").asText()).isEqualTo("refused: localhost resolves to 127.0.0.1, a loopback address");
            assertThat(d.get("lastStatusCode").isNull()).isTrue();
            WebhookTest.sleep(Duration.ofMillis(200));
            assertThat(receiver.requests()).as("never connected to").isEmpty();
        } finally {
            closed.close();
        }
    }
}
