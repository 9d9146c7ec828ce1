package io.chathub.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.ServerTest;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertForbidden;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reports on a seeded data set with known times (stored facts inserted as the server stores them), exact numbers; and
 * the facts a real chat leaves (first operator reply, close).
 */
class ReportsTest extends ServerTest {
    /** A Monday. */
    static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    static final long S = 1000, MIN = 60 * S, H = 60 * MIN;
    static final String RANGE = "from=2026-01-05&to=2026-01-06";

    TestTenant t;
    long orgA, orgB, anna, bram, cleo;

    private long client(long org) {
        return server.hub().database().tx(h -> h.createQuery("""
                        INSERT INTO client (organization_id, source, external_id, created_at, updated_at)
                        VALUES (:org, 9, :ext, 0, 0) RETURNING id""")
                .bind("org", org).bind("ext", UUID.randomUUID().toString()).mapTo(Long.class).one());
    }

    /** A chat started at {@code created}; {@code first}, {@code closed} offsets from it (null: never); {@code rating} 0: none. */
    private long chat(long companyId, long org, long created, Long first, Long closed, Long operator, boolean offline, int rating) {
        long client = client(org);
        long id = server.hub().database().tx(h -> h.createQuery("""
                        INSERT INTO chat (company_id, organization_id, client_id, source, status, operator_id, offline, created_at,
                            updated_at, first_response_at, closed_at)
                        VALUES (:company, :org, :client, 9, :status, :operator, :offline, :created, :created, :first, :closed)
                        RETURNING id""")
                .bind("company", companyId).bind("org", org).bind("client", client).bind("status", closed == null ? 1 : 4)
                .bind("operator", operator).bind("offline", offline ? 1 : 0).bind("created", created)
                .bind("first", first == null ? null : created + first).bind("closed", closed == null ? null : created + closed)
                .mapTo(Long.class).one());
        if (rating > 0) {
            server.hub().database().tx(h -> h.createUpdate("INSERT INTO chat_rating (chat_id, score, created_at) VALUES (:c, :s, 0)")
                    .bind("c", id).bind("s", rating).execute());
        }
        return id;
    }

    @BeforeEach
    void seed() {
        t = server.newTenant();
        orgA = t.organization("A");
        orgB = t.organization("B");
        anna = t.operator(orgA, "Anna");
        bram = t.operator(orgA, "Bram");
        cleo = t.operator(orgB, "Cleo");
        long c = t.companyId();
        chat(c, orgA, T0, 30 * S, 10 * MIN, anna, false, 5);
        chat(c, orgA, T0 + H, 60 * S, 20 * MIN, anna, false, 4);
        chat(c, orgA, T0 + 2 * H, 120 * S, 30 * MIN, bram, false, 2);
        chat(c, orgA, T0 + 25 * H, 600 * S, null, bram, false, 0);
        chat(c, orgA, T0 + 26 * H, null, 5 * MIN, null, true, 0); // missed, offline, closed
        chat(c, orgA, T0 + 27 * H, null, null, null, false, 0); // missed, still open
        chat(c, orgB, T0 + 3 * H, 10 * S, 60 * S, cleo, false, 5);
        chat(c, orgA, T0 - 24 * H, 5 * S, 10 * S, anna, false, 1); // before the range
        chat(c, orgA, T0 + 48 * H, 5 * S, 10 * S, anna, false, 1); // after it
        TestTenant other = server.newTenant();
        long theirs = other.organization("Theirs");
        chat(other.companyId(), theirs, T0 + H, S, 2 * S, null, false, 1);
    }

    private JsonNode get(String path) {
        var r = t.api().get(path).bearer(t.token()).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theSummaryCountsChatsAndComputesPercentilesAndRatings() {
        JsonNode s = get("/api/company/reports/summary?" + RANGE);

        assertThat(s.get("from").asText()).isEqualTo("2026-01-05T00:00:00Z");
        assertThat(s.get("to").asText()).isEqualTo("2026-01-07T00:00:00Z");
        assertThat(s.get("chats")).isEqualTo(json("{\"started\":7,\"answered\":5,\"missed\":2,\"offline\":1}"));
        assertThat(s.get("firstResponse")).isEqualTo(json("{\"count\":5,\"p50\":60.0,\"p90\":600.0}"));
        assertThat(s.get("resolution")).isEqualTo(json("{\"count\":5,\"p50\":600.0,\"p90\":1800.0}"));
        assertThat(s.get("rating")).isEqualTo(json("{\"count\":4,\"average\":4.0,\"distribution\":{\"1\":0,\"2\":1,\"3\":0,\"4\":1,\"5\":2}}"));
    }

    @Test
    void theSummaryFiltersByOrganizationAndOperator() {
        JsonNode a = get("/api/company/reports/summary?" + RANGE + "&organizationId=" + orgA);
        assertThat(a.get("chats")).isEqualTo(json("{\"started\":6,\"answered\":4,\"missed\":2,\"offline\":1}"));
        assertThat(a.get("firstResponse")).isEqualTo(json("{\"count\":4,\"p50\":60.0,\"p90\":600.0}"));
        assertThat(a.get("resolution")).isEqualTo(json("{\"count\":4,\"p50\":600.0,\"p90\":1800.0}"));
        assertThat(a.at("/rating/average").asDouble()).isEqualTo(3.67);

        JsonNode ofAnna = get("/api/company/reports/summary?" + RANGE + "&operatorId=" + anna);
        assertThat(ofAnna.get("chats")).isEqualTo(json("{\"started\":2,\"answered\":2,\"missed\":0,\"offline\":0}"));
        assertThat(ofAnna.get("firstResponse")).isEqualTo(json("{\"count\":2,\"p50\":30.0,\"p90\":60.0}"));

        JsonNode none = get("/api/company/reports/summary?from=2025-01-01&to=2025-01-02");
        assertThat(none.get("chats")).isEqualTo(json("{\"started\":0,\"answered\":0,\"missed\":0,\"offline\":0}"));
        assertThat(none.get("firstResponse")).isEqualTo(json("{\"count\":0,\"p50\":null,\"p90\":null}"));
        assertThat(none.at("/rating/average").isNull()).isTrue();
    }

    @Test
    void theTimeSeriesHasEveryBucket() {
        JsonNode days = get("/api/company/reports/timeseries?metric=chats&interval=day&" + RANGE).get("points");
        assertThat(days).hasSize(2);
        assertThat(days.get(0)).isEqualTo(json("{\"start\":\"2026-01-05T00:00:00Z\",\"value\":4.0,\"count\":4}"));
        assertThat(days.get(1)).isEqualTo(json("{\"start\":\"2026-01-06T00:00:00Z\",\"value\":3.0,\"count\":3}"));

        JsonNode hours = get("/api/company/reports/timeseries?metric=chats&interval=hour&" + RANGE).get("points");
        assertThat(hours).hasSize(48);
        assertThat(hours).extracting(p -> p.get("count").asInt()).filteredOn(n -> n > 0).hasSize(7);
        assertThat(hours.get(3).get("start").asText()).isEqualTo("2026-01-05T03:00:00Z");
        assertThat(hours.get(3).get("count").asInt()).isEqualTo(1);

        JsonNode first = get("/api/company/reports/timeseries?metric=firstResponse&interval=day&" + RANGE).get("points");
        assertThat(first.get(0)).isEqualTo(json("{\"start\":\"2026-01-05T00:00:00Z\",\"value\":30.0,\"count\":4}"));
        assertThat(first.get(1)).isEqualTo(json("{\"start\":\"2026-01-06T00:00:00Z\",\"value\":600.0,\"count\":1}"));

        JsonNode rating = get("/api/company/reports/timeseries?metric=rating&interval=day&" + RANGE).get("points");
        assertThat(rating.get(0).get("value").asDouble()).isEqualTo(4.0);
        assertThat(rating.get(1)).isEqualTo(json("{\"start\":\"2026-01-06T00:00:00Z\",\"value\":null,\"count\":0}"));

        JsonNode weeks = get("/api/company/reports/timeseries?metric=resolution&interval=week&" + RANGE
                + "&organizationId=" + orgA);
        assertThat(weeks.get("points")).hasSize(1);
        assertThat(weeks.get("points").get(0)).isEqualTo(json("{\"start\":\"2026-01-05T00:00:00Z\",\"value\":600.0,\"count\":4}"));
        JsonNode wed = get("/api/company/reports/timeseries?metric=chats&interval=week&from=2026-01-07&to=2026-01-13");
        assertThat(wed.get("points").get(0).get("start").asText()).isEqualTo("2026-01-05T00:00:00Z");
    }

    @Test
    void theOperatorsTableHasEachOperatorThatHeldChats() {
        JsonNode rows = get("/api/company/reports/operators?" + RANGE);
        assertThat(rows).extracting(r -> r.at("/operator/name").asText()).containsExactly("Anna", "Bram", "Cleo");
        JsonNode b = rows.get(1);
        assertThat(b.at("/operator/id").asLong()).isEqualTo(bram);
        assertThat(b.get("chats").asInt()).isEqualTo(2);
        assertThat(b.get("answered").asInt()).isEqualTo(2);
        assertThat(b.get("firstResponse")).isEqualTo(json("{\"count\":2,\"p50\":120.0,\"p90\":600.0}"));
        assertThat(b.get("resolution")).isEqualTo(json("{\"count\":1,\"p50\":1800.0,\"p90\":1800.0}"));
        assertThat(b.at("/rating/average").asDouble()).isEqualTo(2.0);
        assertThat(get("/api/company/reports/operators?" + RANGE + "&organizationId=" + orgB))
                .extracting(r -> r.at("/operator/name").asText()).containsExactly("Cleo");
    }

    @Test
    void aRealChatRecordsItsFirstReplyAndItsClose() {
        TestTenant fresh = server.newTenant();
        long org = fresh.organization("Live");
        String op = fresh.operatorToken(fresh.operator(org, "Dana"));
        long chat = fresh.newChat(org);
        fresh.api().post("/api/chat/" + chat + "/note").bearer(op).json(Map.of("text", "a note is no reply")).send();
        JsonNode before = fresh.api().get("/api/company/reports/summary").bearer(fresh.token()).send().json();
        assertThat(before.at("/chats/answered").asInt()).isZero();

        fresh.send(op, chat, "Hi, I'm Dana");
        fresh.send(op, chat, "Anything else?");
        fresh.setChatStatus(chat, 4);

        JsonNode s = fresh.api().get("/api/company/reports/summary").bearer(fresh.token()).send().json();
        assertThat(s.get("chats")).isEqualTo(json("{\"started\":1,\"answered\":1,\"missed\":0,\"offline\":0}"));
        assertThat(s.at("/firstResponse/count").asInt()).isEqualTo(1);
        assertThat(s.at("/firstResponse/p50").asDouble()).isBetween(0.0, 30.0);
        assertThat(s.at("/resolution/count").asInt()).isEqualTo(1);
        long[] facts = server.hub().database().read(h -> h.createQuery(
                        "SELECT created_at, first_response_at, closed_at FROM chat WHERE id = :id").bind("id", chat)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one());
        long firstReply = Instant.parse(fresh.messages(chat, "after=0").get(2).get("createdAt").asText()).toEpochMilli();
        assertThat(facts[1]).isEqualTo(firstReply);
        assertThat(facts[2]).isGreaterThanOrEqualTo(facts[1]);
    }

    @Test
    void badReportInputIs400AndOthersDataIsOutOfReach() {
        assertBadRequest(t.api().get("/api/company/reports/timeseries?metric=foo").bearer(t.token()).send(), "metric");
        assertBadRequest(t.api().get("/api/company/reports/timeseries?interval=minute").bearer(t.token()).send(), "interval");
        assertBadRequest(t.api().get("/api/company/reports/timeseries?interval=hour&from=2025-01-01&to=2025-06-01")
                .bearer(t.token()).send(), "interval");
        assertBadRequest(t.api().get("/api/company/reports/summary?from=2026-02-01&to=2026-01-01").bearer(t.token()).send(), "to");
        assertBadRequest(t.api().get("/api/company/reports/summary?from=2020-01-01&to=2026-01-01").bearer(t.token()).send(), "from");
        assertBadRequest(t.api().get("/api/company/reports/summary?from=soon").bearer(t.token()).send(), "from");
        assertBadRequest(t.api().get("/api/company/reports/summary?organizationId=x").bearer(t.token()).send(), "organizationId");
        assertBadRequest(t.api().get("/api/company/reports/summary?operatorId=-2").bearer(t.token()).send(), "operatorId");
        TestTenant other = server.newTenant();
        long theirs = other.organization("Theirs");
        assertForbidden(t.api().get("/api/company/reports/summary?organizationId=" + theirs).bearer(t.token()).send());
        assertForbidden(t.api().get("/api/company/reports/operators?organizationId=" + theirs).bearer(t.token()).send());
        String op = t.operatorToken(anna);
        assertForbidden(t.api().get("/api/company/reports/summary").bearer(op).send());
        // another company's operator id filters to nothing of theirs
        long theirOperator = other.operator(theirs, "Eve");
        JsonNode s = get("/api/company/reports/summary?" + RANGE + "&operatorId=" + theirOperator);
        assertThat(s.at("/chats/started").asInt()).isZero();
    }

    private static JsonNode json(String text) {
        try {
            return io.chathub.web.Json.read(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
