package io.chathub.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import io.chathub.testing.TestVisitor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** A company's clients: search, read, export everything about one, and erase one (chats stay as statistics). */
class ClientDataTest extends ServerTest {

    private static JsonNode incoming(TestTenant t, long org, String externalId, String name, String phone, String text,
                                     String mediaBase64) {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("organizationId", org);
        body.put("client", Map.of("externalId", externalId, "name", name, "phone", phone, "email", externalId + "@mail.example"));
        body.put("textMessage", text);
        if (mediaBase64 != null) body.put("media", Map.of("name", "photo.png", "dataBase64", mediaBase64));
        var r = t.api().post("/api/chat/incoming").bearer(t.token()).json(body).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static long clientOf(TestTenant t, long chatId) {
        return t.chat(chatId).at("/client/id").asLong();
    }

    @Test
    void clientsAreSearchedAndReadWithTheirChatCount() {
        TestTenant t = server.newTenant();
        long org = t.organization("Shop");
        long other = t.organization("Other");
        long olena = clientOf(t, incoming(t, org, "ext-olena", "Olena Koval", "+380501112233", "hi", null).get("chatId").asLong());
        incoming(t, org, "ext-petro", "Petro", "+380671234567", "hello", null);
        incoming(t, other, "ext-ivan", "Ivan", "+380931111111", "hey", null);

        var all = t.api().get("/api/company/clients").bearer(t.token()).send().json();
        assertThat(all.get("total").asInt()).isEqualTo(3);
        var found = t.api().get("/api/company/clients?search=koval").bearer(t.token()).send().json();
        assertThat(found.get("items")).extracting(c -> c.get("id").asLong()).containsExactly(olena);
        assertThat(t.api().get("/api/company/clients?search=%2B38067").bearer(t.token()).send().json().get("total").asInt()).isEqualTo(1);
        assertThat(t.api().get("/api/company/clients?search=EXT-IVAN").bearer(t.token()).send().json().get("total").asInt()).isEqualTo(1);
        assertThat(t.api().get("/api/company/clients?organizationId=" + other).bearer(t.token()).send().json().get("total").asInt())
                .isEqualTo(1);
        assertThat(t.api().get("/api/company/clients?search=100%25").bearer(t.token()).send().json().get("total").asInt()).isZero();

        JsonNode c = t.api().get("/api/company/clients/" + olena).bearer(t.token()).send().json();
        assertThat(c.get("name").asText()).isEqualTo("Olena Koval");
        assertThat(c.get("phone").asText()).isEqualTo("+380501112233");
        assertThat(c.get("email").asText()).isEqualTo("ext-olena@mail.example");
        assertThat(c.get("chats").asInt()).isEqualTo(1);
        assertThat(c.get("erased").asBoolean()).isFalse();
        assertThat(c.has("companyId")).isFalse();
    }

    @Test
    void theExportHasTheClientItsChatsAndAllTheirMessagesWithMediaLinks() {
        TestTenant t = server.newTenant();
        long org = t.organization("Shop");
        String png = Base64.getEncoder().encodeToString(TINY_PNG);
        long chat = incoming(t, org, "ext-x", "Xena", "+1555", "hello", null).get("chatId").asLong();
        incoming(t, org, "ext-x", "Xena", "+1555", "a photo", png);
        t.send(t.token(), chat, "Got it");
        t.api().post("/api/chat/" + chat + "/note").bearer(t.token()).json(Map.of("text", "internal")).send();
        long client = clientOf(t, chat);

        var r = t.api().get("/api/company/clients/" + client + "/export").bearer(t.token()).send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Disposition").orElse("")).contains("client-" + client + ".json");
        JsonNode e = r.json();
        assertThat(e.at("/client/name").asText()).isEqualTo("Xena");
        assertThat(e.get("chats")).hasSize(1);
        JsonNode messages = e.get("chats").get(0).get("messages");
        assertThat(messages).extracting(m -> m.get("message").asText()).containsExactly("hello", "a photo", "Got it", "internal");
        assertThat(messages.get(1).at("/media/uri").asText()).startsWith("/api/media/");
        assertThat(messages.get(3).get("isNote").asBoolean()).isTrue();
    }

    @Test
    void erasingAClientRemovesItsContactMessagesAndMediaButKeepsTheChatsAsStatistics() throws Exception {
        TestTenant t = server.newTenant();
        long org = t.organization("Shop");
        long chat = incoming(t, org, "ext-e", "Erin", "+1999", "my address is 1 Main St", null).get("chatId").asLong();
        // content of its own: media files are shared by content, and another test's client may hold the same bytes
        String unique = Base64.getEncoder().encodeToString(("id card " + java.util.UUID.randomUUID()).getBytes());
        JsonNode withMedia = incoming(t, org, "ext-e", "Erin", "+1999", "id card", unique);
        String uri = withMedia.at("/media/uri").asText();
        Path file = mediaFile(uri);
        assertThat(file).exists();
        t.send(t.token(), chat, "Thanks Erin");
        t.setChatStatus(chat, 4);
        long client = clientOf(t, chat);

        var erased = t.api().delete("/api/company/clients/" + client).bearer(t.token()).send();
        assertThat(erased.status()).isEqualTo(200);

        JsonNode c = t.api().get("/api/company/clients/" + client).bearer(t.token()).send().json();
        assertThat(c.get("erased").asBoolean()).isTrue();
        assertThat(c.get("name").isNull()).isTrue();
        assertThat(c.get("phone").isNull()).isTrue();
        assertThat(c.get("email").isNull()).isTrue();
        assertThat(c.get("externalId").isNull()).isTrue();
        assertThat(c.get("chats").asInt()).isEqualTo(1);
        assertThat(t.messages(chat, "after=0")).isEmpty();
        JsonNode kept = t.chat(chat);
        assertThat(kept.get("chatStatus").asInt()).isEqualTo(4);
        assertThat(kept.get("lastMessage").isNull()).isTrue();
        assertThat(kept.at("/client/name").isNull()).isTrue();
        assertThat(file).doesNotExist();
        assertProblem(t.api().get(uri).bearer(t.token()).send(), 404);
        assertThat(t.api().get("/api/company/clients/" + client + "/export").bearer(t.token()).send().text())
                .doesNotContain("Main St").doesNotContain("Erin").doesNotContain("+1999");
        JsonNode summary = t.api().get("/api/company/reports/summary").bearer(t.token()).send().json();
        assertThat(summary.at("/chats/started").asInt()).isEqualTo(1);
        assertThat(summary.at("/chats/answered").asInt()).isEqualTo(1);

        assertThat(t.api().delete("/api/company/clients/" + client).bearer(t.token()).send().status()).isEqualTo(200); // again
        JsonNode audit = t.api().get("/api/company/audit").bearer(t.token()).send().json().get("items");
        assertThat(audit).extracting(a -> a.get("action").asText()).filteredOn("client.erase"::equals).hasSize(2);
        assertThat(audit.get(0).get("objectId").asText()).isEqualTo(String.valueOf(client));

        // the same customer writing again is a new client
        long again = incoming(t, org, "ext-e", "Erin", "+1999", "back again", null).get("chatId").asLong();
        assertThat(clientOf(t, again)).isNotEqualTo(client);
    }

    @Test
    void aMediaFileAnotherClientStillUsesStays() throws Exception {
        TestTenant t = server.newTenant();
        long org = t.organization("Shop");
        String png = Base64.getEncoder().encodeToString(TINY_PNG);
        long first = incoming(t, org, "ext-a", "A", "+1", "x", png).get("chatId").asLong();
        String uri = incoming(t, org, "ext-b", "B", "+2", "y", png).at("/media/uri").asText();

        t.api().delete("/api/company/clients/" + clientOf(t, first)).bearer(t.token()).send();

        assertThat(mediaFile(uri)).exists();
        assertThat(t.api().get(uri).bearer(t.token()).send().status()).isEqualTo(200);
    }

    @Test
    void anErasedWebsiteVisitorStartsAfresh() {
        TestTenant t = server.newTenant();
        long org = t.organization("Site");
        TestVisitor v = TestVisitor.arrive(server, t.widgetGuid(org), null);
        long chat = v.send("my email is v@x.example").get("chatId").asLong();
        long client = clientOf(t, chat);

        t.api().delete("/api/company/clients/" + client).bearer(t.token()).send();

        assertProblem(v.authed("GET", "messages").send(), 401);
        TestVisitor back = v.sameBrowser();
        assertThat(back.messages("")).isEmpty();
        String page = server.hub().database().read(h -> h.createQuery("SELECT COUNT(*) FROM visitor WHERE page_url IS NOT NULL "
                + "AND client_id IS NULL").mapTo(Integer.class).one()).toString();
        assertThat(page).isEqualTo("0");
    }

    @Test
    void anotherCompanysClientIsNotFoundAndBadInputIs400() {
        TestTenant mine = server.newTenant();
        TestTenant other = server.newTenant();
        long theirOrg = other.organization("Theirs");
        long theirChat = incoming(other, theirOrg, "ext-t", "Their customer", "+7", "secret", null).get("chatId").asLong();
        long theirs = clientOf(other, theirChat);

        assertNotFound(mine.api().get("/api/company/clients/" + theirs).bearer(mine.token()).send());
        assertNotFound(mine.api().get("/api/company/clients/" + theirs + "/export").bearer(mine.token()).send());
        assertNotFound(mine.api().delete("/api/company/clients/" + theirs).bearer(mine.token()).send());
        assertThat(mine.api().get("/api/company/clients?search=Their").bearer(mine.token()).send().json().get("total").asInt()).isZero();
        assertForbidden(mine.api().get("/api/company/clients?organizationId=" + theirOrg).bearer(mine.token()).send());
        assertThat(other.messages(theirChat, "after=0")).hasSize(1);

        String op = mine.operatorToken(mine.operator(mine.organization("Mine"), "Anna"));
        assertForbidden(mine.api().get("/api/company/clients").bearer(op).send());
        assertBadRequest(mine.api().get("/api/company/clients/abc").bearer(mine.token()).send(), "id");
        assertBadRequest(mine.api().get("/api/company/clients?per_page=101").bearer(mine.token()).send(), "per_page");
        assertBadRequest(mine.api().get("/api/company/clients?search=" + "x".repeat(201)).bearer(mine.token()).send(), "search");
        assertNotFound(mine.api().delete("/api/company/clients/999999999").bearer(mine.token()).send());
        List.of(); // nothing else
    }

    private static Path mediaFile(String uri) {
        String hash = uri.substring("/api/media/".length());
        return server.hub().config().dataDir().resolve("media").resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4))
                .resolve(hash);
    }

    /** A 1×1 PNG. */
    static final byte[] TINY_PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
}
