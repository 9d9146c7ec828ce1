package io.chathub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/** What every answer follows, whichever route gives it: empty answers, wrong methods. */
class HttpConventionsTest extends ServerTest {

    private static void assertEmptyWithoutContentType(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.text()).as(r.request()).isEmpty();
        assertThat(r.header("Content-Type")).as(r.request() + " says no content type for its empty body").isEmpty();
    }

    @Test
    void emptyAnswersSayNoJsonContentType() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        long anna = t.operator(sales, "Anna");
        long chatId = t.newChat(sales);
        String annas = t.operatorToken(anna);

        assertEmptyWithoutContentType(server.api().put("/api/chat/status").bearer(t.token())
                .json(Map.of("id", chatId, "status", 2)).send());
        assertEmptyWithoutContentType(server.api().post("/api/chat/" + chatId + "/read").bearer(t.token())
                .json(Map.of("seq", 1)).send());
        assertEmptyWithoutContentType(server.api().post("/api/operator/revoke-token").bearer(t.token())
                .json(Map.of("token", annas)).send());
        assertEmptyWithoutContentType(server.api().post("/api/operator/status").bearer(t.token())
                .json(Map.of("id", anna, "status", 1)).send());
        assertEmptyWithoutContentType(server.api().delete("/api/chat/chats/" + chatId).bearer(t.token()).send());
        assertEmptyWithoutContentType(server.api().delete("/api/company/organization/" + sales).bearer(t.token()).send());
    }

    @Test
    void answersWithABodyKeepTheirContentType() {
        TestTenant t = server.newTenant();
        var r = server.api().get("/api/company/organization").bearer(t.token()).send();
        assertThat(r.contentType()).startsWith("application/json");
        String inAnHour = Instant.now().plus(Duration.ofHours(1)).toString();
        long anna = t.operator(t.organization("Sales"), "Anna");
        r = server.api().post("/api/operator/get-token").bearer(t.token()).json(Map.of("id", anna, "expiresAt", inAnHour)).send();
        assertThat(r.contentType()).startsWith("application/json");
    }

    @Test
    void aKnownPathWithAnotherMethodIs405WithAllow() {
        record Case(String method, String path, List<String> allowed) {}
        for (Case c : List.of(
                new Case("GET", "/api/company/get-token", List.of("POST")),
                new Case("DELETE", "/api/chat/status", List.of("PUT")),
                new Case("PATCH", "/api/company/organization/1", List.of("GET", "HEAD", "PUT", "DELETE")),
                new Case("POST", "/api/chat/1/messages", List.of("GET", "HEAD")))) {
            var r = server.api().method(c.method(), c.path()).send();
            JsonNode p = assertProblem(r, 405);
            assertThat(r.header("Allow")).as(r.toString()).isPresent();
            assertThat(r.header("Allow").orElseThrow().split(", ")).as(c.path()).containsExactlyInAnyOrderElementsOf(c.allowed());
            assertThat(p.get("detail").asText()).contains(c.method()).contains(c.path());
        }
    }

    @Test
    void anUnknownPathIsStill404() {
        assertProblem(server.api().get("/api/no-such-thing").send(), 404);
        assertProblem(server.api().method("PATCH", "/api/no-such-thing").send(), 404);
    }
}
