package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.testing.Api;
import io.chathub.testing.HubClient;
import io.chathub.testing.TestFiles;
import io.chathub.testing.TestServer;
import io.chathub.testing.TestTenant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.chathub.testing.Problems.assertBadRequest;
import static io.chathub.testing.Problems.assertInvalidToken;
import static io.chathub.testing.Problems.assertNotFound;
import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Media messages: base64 uploads through REST (send and inbound) and the hub, type decided by the
 * bytes against an allowlist, image dimensions, the size limit, content-addressed storage and
 * {@code GET /api/media/{hash}} for those who see a chat holding the file.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class MediaTest {
    static final int MEDIA_MAX_BYTES = 200_000;
    static TestServer server;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Parameter
    String database;

    @BeforeParameterizedClassInvocation
    static void startServer(String database) {
        server = TestServer.start(database, b -> b.mediaMaxBytes(MEDIA_MAX_BYTES));
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
    }

    private record Setup(TestTenant tenant, long sales, String annaToken, long chatId) {}

    private static Setup setup() {
        TestTenant tenant = server.newTenant();
        long sales = tenant.organization("Sales");
        String anna = tenant.operatorToken(tenant.operator(sales, "Anna", 0));
        return new Setup(tenant, sales, anna, tenant.newChat(sales));
    }

    private static Map<String, Object> media(String name, String format, byte[] data, Integer type) {
        var m = new LinkedHashMap<String, Object>();
        if (name != null) m.put("name", name);
        if (format != null) m.put("format", format);
        m.put("dataBase64", TestFiles.base64(data));
        if (type != null) m.put("type", type);
        return m;
    }

    private static Api.Response sendMedia(String token, long chatId, Object media, String text) {
        var body = new LinkedHashMap<String, Object>();
        if (text != null) body.put("textMessage", text);
        body.put("media", media);
        return server.api().post("/api/chat/" + chatId + "/message").bearer(token).json(body).send();
    }

    private static JsonNode ok(Api.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    private static JsonNode upload(Setup s, String name, byte[] data) {
        return ok(sendMedia(s.tenant().token(), s.chatId(), media(name, null, data, null), null)).get("media");
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static HttpResponse<byte[]> fetch(String path, String token) throws Exception {
        var request = HttpRequest.newBuilder(server.base().resolve(path));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Api.Response fetchProblem(String path, String token) {
        var call = server.api().get(path);
        if (token != null) call.bearer(token);
        return call.send();
    }

    private static long storedFiles() throws IOException {
        Path root = server.hub().config().dataDir().resolve("media");
        if (!Files.exists(root)) return 0;
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    // ---- uploads

    @Test
    void aPngIsStoredByItsHashWithItsDimensions() throws Exception {
        Setup s = setup();
        byte[] png = TestFiles.png(37, 19);

        JsonNode message = ok(sendMedia(s.tenant().token(), s.chatId(), media("photo.png", "image/png", png, 1), null));

        JsonNode media = message.get("media");
        assertThat(media.get("uri").textValue()).isEqualTo("/api/media/" + sha256(png));
        assertThat(media.get("name").textValue()).isEqualTo("photo.png");
        assertThat(media.get("format").textValue()).isEqualTo("image/png");
        assertThat(media.get("type").intValue()).isEqualTo(1);
        assertThat(media.get("size").longValue()).isEqualTo(png.length);
        assertThat(media.get("width").intValue()).isEqualTo(37);
        assertThat(media.get("height").intValue()).isEqualTo(19);
        assertThat(message.get("message").isNull()).isTrue();
        assertThat(s.tenant().messages(s.chatId(), "after=1")).containsExactly(message);
        assertThat(s.tenant().chat(s.chatId()).get("lastMessage")).isEqualTo(message);
    }

    @Test
    void jpegGifAndWebpImagesAreMeasuredToo() {
        Setup s = setup();
        JsonNode jpeg = upload(s, "a.jpg", TestFiles.image("jpeg", 64, 48));
        JsonNode gif = upload(s, "b.gif", TestFiles.image("gif", 5, 300));
        JsonNode webp = upload(s, "c.webp", TestFiles.webp(1920, 1080));

        assertThat(jpeg.get("format").textValue()).isEqualTo("image/jpeg");
        assertThat(List.of(jpeg.get("width").intValue(), jpeg.get("height").intValue())).containsExactly(64, 48);
        assertThat(gif.get("format").textValue()).isEqualTo("image/gif");
        assertThat(List.of(gif.get("width").intValue(), gif.get("height").intValue())).containsExactly(5, 300);
        assertThat(webp.get("format").textValue()).isEqualTo("image/webp");
        assertThat(List.of(webp.get("width").intValue(), webp.get("height").intValue())).containsExactly(1920, 1080);
        for (JsonNode m : List.of(jpeg, gif, webp)) assertThat(m.get("type").intValue()).isEqualTo(1);
    }

    @Test
    void everyAllowedKindIsTypedByItsBytes() {
        Setup s = setup();
        record Kind(String name, byte[] data, String format, int type) {}
        var kinds = List.of(
                new Kind("doc.pdf", TestFiles.pdf(), "application/pdf", 0),
                new Kind("archive.zip", TestFiles.zip(), "application/zip", 0),
                new Kind("notes.txt", TestFiles.text("Plain text, ünïcode too\n"), "text/plain", 0),
                new Kind("clip.mp4", TestFiles.withMagic(0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2'), "video/mp4", 2),
                new Kind("clip.webm", TestFiles.withMagic(0x1A, 0x45, 0xDF, 0xA3), "video/webm", 2),
                new Kind("song.mp3", TestFiles.withMagic('I', 'D', '3', 4, 0), "audio/mpeg", 3),
                new Kind("voice.ogg", TestFiles.withMagic('O', 'g', 'g', 'S', 0), "audio/ogg", 3),
                new Kind("voice.wav", TestFiles.withMagic('R', 'I', 'F', 'F', 0x24, 0, 0, 0, 'W', 'A', 'V', 'E'), "audio/wav", 3));

        for (Kind kind : kinds) {
            JsonNode media = upload(s, kind.name(), kind.data());
            assertThat(media.get("format").textValue()).as(kind.name()).isEqualTo(kind.format());
            assertThat(media.get("type").intValue()).as(kind.name()).isEqualTo(kind.type());
            assertThat(media.get("size").longValue()).as(kind.name()).isEqualTo(kind.data().length);
            assertThat(media.has("width")).as(kind.name()).isFalse();
        }
    }

    @Test
    void theSendersClaimsAboutTheKindAreIgnoredAndNamesAreCleaned() {
        Setup s = setup();

        JsonNode lie = ok(sendMedia(s.tenant().token(), s.chatId(),
                media("../../etc/cat.png", "image/png", TestFiles.pdf(), 1), "See attached")).get("media");
        JsonNode nameless = upload(s, null, TestFiles.png(2, 2));

        assertThat(lie.get("format").textValue()).isEqualTo("application/pdf");
        assertThat(lie.get("type").intValue()).isZero();
        assertThat(lie.get("name").textValue()).doesNotContain("/").endsWith("cat.png");
        assertThat(nameless.get("name").textValue()).isEqualTo("file.png");
    }

    @Test
    void disallowedOrBrokenFilesAreRefusedAndStoreNothing() throws Exception {
        Setup s = setup();
        String token = s.tenant().token();
        long filesBefore = storedFiles();

        assertBadRequest(sendMedia(token, s.chatId(), media("run.bin", null, TestFiles.executable(), null), null), "media");
        assertBadRequest(sendMedia(token, s.chatId(), media("setup.exe", "application/pdf",
                TestFiles.withMagic('M', 'Z', 0x90, 0, 3, 0), 0), null), "media");
        assertBadRequest(sendMedia(token, s.chatId(), media("empty.txt", null, new byte[0], null), null), "media.dataBase64");
        assertBadRequest(sendMedia(token, s.chatId(), Map.of("name", "x", "dataBase64", "Q"), null), "media.dataBase64");
        assertBadRequest(sendMedia(token, s.chatId(), Map.of("name", "x", "dataBase64", "%%%"), null), "media.dataBase64");
        assertBadRequest(sendMedia(token, s.chatId(), Map.of("name", "x"), null), "media.dataBase64");
        assertBadRequest(sendMedia(token, s.chatId(), Map.of("dataBase64", 12), null), "media.dataBase64");
        assertBadRequest(sendMedia(token, s.chatId(), Map.of("dataBase64", TestFiles.base64(TestFiles.pdf()), "type", 7), null), "media.type");

        assertThat(s.tenant().messages(s.chatId(), "")).hasSize(1);
        assertThat(storedFiles()).isEqualTo(filesBefore);
    }

    @Test
    void aDataUrlIsAccepted() {
        Setup s = setup();
        byte[] png = TestFiles.png(3, 4);
        JsonNode media = ok(sendMedia(s.tenant().token(), s.chatId(),
                Map.of("name", "pasted.png", "dataBase64", "data:image/png;base64," + TestFiles.base64(png)), null)).get("media");
        assertThat(media.get("size").longValue()).isEqualTo(png.length);
        assertThat(media.get("width").intValue()).isEqualTo(3);
    }

    @Test
    void filesUpToTheLimitAreAcceptedAndLargerOnesAre413() throws Exception {
        Setup s = setup();
        String token = s.tenant().token();
        byte[] atLimit = "a".repeat(MEDIA_MAX_BYTES).getBytes();
        byte[] overLimit = "b".repeat(MEDIA_MAX_BYTES + 1).getBytes();
        byte[] farOver = "c".repeat(MEDIA_MAX_BYTES * 3).getBytes();
        long filesBefore = storedFiles();

        JsonNode p = assertProblem(sendMedia(token, s.chatId(), media("big.txt", null, overLimit, null), null), 413);
        assertThat(p.get("detail").asText()).isEqualTo("The file is larger than 200000 bytes");
        var huge = new LinkedHashMap<String, Object>();
        huge.put("media", media("huge.txt", null, farOver, null));
        var r = server.api().post("/api/chat/" + s.chatId() + "/message").bearer(token).json(huge).expectContinue().send();
        assertThat(r.status()).as("refused before the body is sent").isEqualTo(413);
        assertThat(storedFiles()).isEqualTo(filesBefore);
        assertThat(s.tenant().messages(s.chatId(), "")).hasSize(1);

        JsonNode fits = ok(sendMedia(token, s.chatId(), media("fits.txt", null, atLimit, null), null));
        assertThat(fits.get("media").get("size").longValue()).isEqualTo(MEDIA_MAX_BYTES);
    }

    @Test
    void theSameBytesAreStoredOnce() throws Exception {
        Setup s = setup();
        byte[] png = TestFiles.png(8, 8);
        long filesBefore = storedFiles();

        JsonNode first = upload(s, "one.png", png);
        JsonNode second = upload(s, "two.png", png);

        assertThat(second.get("uri")).isEqualTo(first.get("uri"));
        assertThat(second.get("name").textValue()).isEqualTo("two.png");
        assertThat(storedFiles()).isEqualTo(filesBefore + 1);
    }

    @Test
    void aClientsInboundMessageMayCarryMedia() {
        TestTenant t = server.newTenant();
        long sales = t.organization("Sales");
        var body = new LinkedHashMap<String, Object>();
        body.put("organizationId", sales);
        body.put("client", Map.of("externalId", TestTenant.newClient()));
        body.put("media", media("receipt.png", null, TestFiles.png(10, 20), null));

        JsonNode m = t.incoming(body);

        assertThat(m.get("author").intValue()).isEqualTo(1);
        assertThat(m.get("message").isNull()).isTrue();
        assertThat(m.get("media").get("width").intValue()).isEqualTo(10);
        assertThat(t.chat(m.get("chatId").longValue()).get("lastMessage")).isEqualTo(m);
    }

    // ---- the hub

    @Test
    void sendMediaMessageThroughTheHubIsAnnouncedAsReceiveMediaMessage() {
        Setup s = setup();
        byte[] png = TestFiles.png(12, 7);

        try (HubClient anna = s.tenant().connect(s.annaToken(), "Anna");
             HubClient company = s.tenant().connect()) {
            JsonNode sent = anna.invoke("SendMediaMessage", s.chatId(),
                    Map.of("Name", "hub.png", "Format", "image/png", "DataBase64", TestFiles.base64(png), "Type", 1));

            assertThat(sent.get("chatId").longValue()).isEqualTo(s.chatId());
            assertThat(sent.get("author").intValue()).isZero();
            assertThat(sent.get("media").get("name").textValue()).isEqualTo("hub.png");
            assertThat(sent.get("media").get("width").intValue()).isEqualTo(12);
            assertThat(sent.get("media").get("height").intValue()).isEqualTo(7);
            assertThat(company.await("ReceiveMediaMessage", e -> e.id() == sent.get("id").longValue()).arg(0)).isEqualTo(sent);
            JsonNode text = s.tenant().send(s.tenant().token(), s.chatId(), "sentinel");
            company.await("ReceiveMessage", e -> e.id() == text.get("id").longValue());
            assertThat(company.events("ReceiveMessage")).noneMatch(e -> e.id() == sent.get("id").longValue());
            assertThat(s.tenant().messages(s.chatId(), "after=1").get(0)).isEqualTo(sent);

            JsonNode lowerCase = anna.invoke("SendMediaMessage", s.chatId(), Map.of("dataBase64", TestFiles.base64(TestFiles.pdf())));
            assertThat(lowerCase.get("media").get("format").textValue()).isEqualTo("application/pdf");
        }
    }

    @Test
    void badMediaThroughTheHubIsACompletionError() {
        Setup s = setup();
        try (HubClient anna = s.tenant().connect(s.annaToken(), "Anna")) {
            assertThat(anna.failure("SendMediaMessage", s.chatId(), Map.of("Name", "x", "DataBase64", TestFiles.base64(TestFiles.executable()))))
                    .startsWith("This kind of file is not allowed");
            assertThat(anna.failure("SendMediaMessage", s.chatId(), Map.of("Name", "x", "DataBase64", "Q")))
                    .isEqualTo("'DataBase64' is not valid base64");
            assertThat(anna.failure("SendMediaMessage", s.chatId(), Map.of("Name", "x"))).isEqualTo("'DataBase64' is required");
            assertThat(anna.failure("SendMediaMessage", s.chatId(), "just a string")).startsWith("The media must be an object");
            assertThat(anna.failure("SendMediaMessage", s.chatId(),
                    Map.of("DataBase64", TestFiles.base64("d".repeat(MEDIA_MAX_BYTES + 1).getBytes())))).isEqualTo("The file is larger than 200000 bytes");
            assertThat(anna.isConnected()).isTrue();
        }
        assertThat(s.tenant().messages(s.chatId(), "")).hasSize(1);
    }

    // ---- serving

    @Test
    void aFileIsServedToThoseWhoSeeAChatHoldingIt() throws Exception {
        Setup s = setup();
        TestTenant t = s.tenant();
        byte[] png = TestFiles.png(16, 16);
        String uri = upload(s, "p.png", png).get("uri").textValue();

        for (String token : List.of(t.token(), s.annaToken())) {
            HttpResponse<byte[]> r = fetch(uri, token);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(png);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("image/png");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Content-Disposition")).hasValue("inline");
        }
        HttpResponse<byte[]> byQuery = fetch(uri + "?access_token=" + s.annaToken(), null);
        assertThat(byQuery.statusCode()).isEqualTo(200);
        assertThat(byQuery.body()).isEqualTo(png);

        String pdfUri = upload(s, "p.pdf", TestFiles.pdf()).get("uri").textValue();
        HttpResponse<byte[]> pdf = fetch(pdfUri, t.token());
        assertThat(pdf.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/pdf");
        assertThat(pdf.headers().firstValue("Content-Disposition")).hasValue("attachment");
    }

    @Test
    void aFileIsHiddenFromOtherOrganizationsAndCompanies() throws Exception {
        Setup s = setup();
        TestTenant t = s.tenant();
        TestTenant globex = server.newTenant();
        String sam = t.operatorToken(t.operator(t.organization("Support"), "Sam"));
        String olga = globex.operatorToken(globex.operator(globex.organization("Sales"), "Olga"));
        String uri = upload(s, "secret.png", TestFiles.png(9, 9)).get("uri").textValue();

        assertNotFound(fetchProblem(uri, sam));
        assertNotFound(fetchProblem(uri, globex.token()));
        assertNotFound(fetchProblem(uri, olga));
        assertNotFound(fetchProblem(uri + "?access_token=" + globex.token(), null));
        assertInvalidToken(fetchProblem(uri, null));
        assertInvalidToken(fetchProblem(uri + "?access_token=forged", null));
        assertNotFound(fetchProblem("/api/media/" + "0".repeat(64), t.token()));
        assertNotFound(fetchProblem("/api/media/not-a-hash", t.token()));
        assertNotFound(fetchProblem("/api/media/..%2F..%2Fchathub.db", t.token()));
    }

    @Test
    void aFileOfADeletedChatIsNoLongerServed() throws Exception {
        Setup s = setup();
        TestTenant t = s.tenant();
        byte[] png = TestFiles.png(5, 5);
        String uri = upload(s, "gone.png", png).get("uri").textValue();
        long otherChat = t.newChat(s.sales());
        assertThat(fetch(uri, t.token()).statusCode()).isEqualTo(200);

        var r = server.api().delete("/api/chat/chats/" + s.chatId()).bearer(t.token()).send();
        assertThat(r.status()).isEqualTo(200);
        assertNotFound(fetchProblem(uri, t.token()));

        ok(sendMedia(t.token(), otherChat, media("again.png", null, png, null), null));
        assertThat(fetch(uri, s.annaToken()).statusCode()).as("held by a chat again").isEqualTo(200);
    }

    @Test
    void sameBytesInTwoCompaniesAreServedToEachForItsOwnChat() throws Exception {
        Setup acme = setup();
        Setup globex = setup();
        byte[] png = TestFiles.png(6, 6);
        String uri = upload(acme, "shared.png", png).get("uri").textValue();
        assertNotFound(fetchProblem(uri, globex.tenant().token()));

        assertThat(upload(globex, "shared.png", png).get("uri").textValue()).isEqualTo(uri);

        assertThat(fetch(uri, globex.tenant().token()).body()).isEqualTo(png);
        assertThat(fetch(uri, acme.tenant().token()).body()).isEqualTo(png);
    }
}
