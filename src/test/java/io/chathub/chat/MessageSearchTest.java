package io.chathub.chat;

import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/chat/chats?search=} also finds chats by the words of their messages (FTS5, PostgreSQL full text). */
class MessageSearchTest extends ServerTest {

    private static java.util.List<Long> search(String token, String query) {
        var r = server.api().get("/api/chat/chats?per_page=100&search=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
                .bearer(token).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        java.util.List<Long> ids = new java.util.ArrayList<>();
        r.json().get("items").forEach(c -> ids.add(c.get("id").asLong()));
        return ids;
    }

    @Test
    void aChatIsFoundByTheWordsOfItsMessagesInAnyCaseAndOrder() {
        TestTenant t = server.newTenant();
        long org = t.organization("Shop");
        long refund = t.incoming(org, TestTenant.newClient(), "Where is my REFUND for order 4711?").get("chatId").asLong();
        long other = t.incoming(org, TestTenant.newClient(), "Do you ship to Lviv?").get("chatId").asLong();
        t.send(t.token(), other, "Yes, we ship everywhere. Доставка безкоштовна");

        assertThat(search(t.token(), "refund")).containsExactly(refund);
        assertThat(search(t.token(), "order refund")).containsExactly(refund);
        assertThat(search(t.token(), "4711")).containsExactly(refund);
        assertThat(search(t.token(), "ship")).containsExactly(other);
        assertThat(search(t.token(), "доставка")).containsExactly(other);
        assertThat(search(t.token(), "refund lviv")).isEmpty();
        assertThat(search(t.token(), "nothing-like-this")).isEmpty();
        assertThat(search(t.token(), "\"refund*")).containsExactly(refund); // no query syntax gets through
        assertThat(search(t.token(), "OR NEAR( refund")).isEmpty(); // every word must be there, OR and NEAR too
        assertThat(search(t.token(), "%_!")).isEmpty();
    }

    private static com.fasterxml.jackson.databind.JsonNode searchAnswer(String token, String query) {
        var r = server.api().get("/api/chat/chats?per_page=100&search=" + URLEncoder.encode(query, StandardCharsets.UTF_8))
                .bearer(token).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void eachFoundChatSaysWhichMessageMatchedTheNewestOneOrNullWhenItsClientDid() {
        TestTenant t = server.newTenant();
        long org = t.organization("Shop");
        long parcel = t.incoming(org, TestTenant.newClient(), "My parcel never came").get("chatId").asLong();
        long reply = t.send(t.token(), parcel, "Which parcel number, please?").get("id").asLong();
        t.incoming(org, TestTenant.newClient(), "unrelated question");
        String client = TestTenant.newClient();
        long named = t.incoming(org, client, "hello").get("chatId").asLong();

        var answer = searchAnswer(t.token(), "PARCEL");
        assertThat(answer.get("total").asLong()).isEqualTo(1);
        var hit = answer.get("items").get(0);
        assertThat(hit.get("id").asLong()).isEqualTo(parcel);
        assertThat(hit.get("client").get("name").asText()).isNotBlank(); // the chat's own fields stay as they are
        assertThat(hit.get("match").get("messageId").asLong()).isEqualTo(reply);
        assertThat(hit.get("match").get("seq").asLong()).isEqualTo(2);
        assertThat(hit.get("match").get("text").asText()).isEqualTo("Which parcel number, please?");

        var byClient = searchAnswer(t.token(), client).get("items");
        assertThat(byClient).hasSize(1);
        assertThat(byClient.get(0).get("id").asLong()).isEqualTo(named);
        assertThat(byClient.get(0).has("match")).isTrue();
        assertThat(byClient.get(0).get("match").isNull()).isTrue();

        var plain = server.api().get("/api/chat/chats?per_page=100").bearer(t.token()).send().json().get("items");
        assertThat(plain.get(0).has("match")).as("no search, no match field").isFalse();
    }

    @Test
    void aSearchStaysInsideTheTenantAndTheOperatorsOrganization() {
        TestTenant t = server.newTenant();
        TestTenant other = server.newTenant();
        long sales = t.organization("Sales");
        long support = t.organization("Support");
        long mine = t.incoming(sales, TestTenant.newClient(), "zebra crossing question").get("chatId").asLong();
        long supportChat = t.incoming(support, TestTenant.newClient(), "zebra in support").get("chatId").asLong();
        other.incoming(other.organization("Theirs"), TestTenant.newClient(), "zebra elsewhere");
        String salesOp = t.operatorToken(t.operator(sales, "Anna"));

        assertThat(search(t.token(), "zebra")).containsExactlyInAnyOrder(mine, supportChat);
        assertThat(search(salesOp, "zebra")).containsExactly(mine);
        assertForbidden(server.api().get("/api/chat/chats?search=zebra&organizationId=" + support).bearer(salesOp).send());
        assertBadRequest(server.api().get("/api/chat/chats?search=" + "x".repeat(201)).bearer(t.token()).send(), "search");
    }

    @Test
    void theFtsQueryQuotesEveryWord() {
        assertThat(JdbiChatStore.ftsQuery("Hello, \"world\" NEAR(x)")).isEqualTo("\"Hello\" \"world\" \"NEAR\" \"x\"");
        assertThat(JdbiChatStore.ftsQuery("  ** ")).isNull();
    }
}
