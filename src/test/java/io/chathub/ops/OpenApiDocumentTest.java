package io.chathub.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chathub.ChatHub;
import io.chathub.config.Config;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served OpenAPI document must describe exactly the routes the server registers, so a route
 * added without documentation (or documentation left behind by a removed route) fails this test.
 */
class OpenApiDocumentTest {
    /** The HTTP verbs compared; HEAD, OPTIONS and Javalin's before/after kinds are left out. */
    private static final Set<String> VERBS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH", "TRACE", "QUERY", "CONNECT");
    /** The operation keys of an OpenAPI 3.1 path item. */
    private static final Set<String> OPERATION_KEYS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static ChatHub hub;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        hub = ChatHub.start(Config.builder().host("127.0.0.1").port(0).dataDir(dataDir).build());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/openapi.json"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as("GET /openapi.json status").isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        doc = JSON.readTree(res.body());
    }

    @AfterAll
    static void stop() {
        if (hub != null) hub.close();
    }

    @Test
    void isOpenApi31() {
        assertThat(doc.path("openapi").asText()).matches("3\\.1\\.\\d+");
        assertThat(doc.path("info").path("title").asText()).isNotBlank();
        assertThat(doc.path("info").path("version").asText()).isNotBlank();
    }

    @Test
    void documentsExactlyTheRegisteredRoutes() {
        Set<String> registered = new TreeSet<>();
        for (ChatHub.Route r : hub.routes()) {
            String method = r.method().toUpperCase(Locale.ROOT);
            if (VERBS.contains(method)) registered.add(method + " " + normalize(r.path()));
        }
        assertThat(registered).as("routes registered by the server (is the handlerAdded event still wired?)")
                .contains("POST /api/company/get-token", "GET /openapi.json");

        Set<String> documented = new TreeSet<>();
        forEachOperation((method, path, op) -> {
            if (VERBS.contains(method)) documented.add(method + " " + normalize(path));
        });

        Set<String> undocumented = new TreeSet<>(registered);
        undocumented.removeAll(documented);
        Set<String> notRegistered = new TreeSet<>(documented);
        notRegistered.removeAll(registered);
        assertThat(undocumented.isEmpty() && notRegistered.isEmpty())
                .as("src/main/resources/openapi.json must document exactly the server's routes.%n"
                                + "Registered but not documented (add them to openapi.json): %s%n"
                                + "Documented but not registered (remove them or fix the path/method): %s",
                        undocumented, notRegistered)
                .isTrue();
    }

    @Test
    void everyOperationHasA2xxResponseAndDeclaresItsSecurity() {
        Set<String> schemes = names(doc.path("components").path("securitySchemes"));
        assertThat(schemes).as("components.securitySchemes").contains("bearerAuth", "apiKeyAuth");
        List<String> problems = new ArrayList<>();
        forEachOperation((method, path, op) -> {
            String where = method + " " + path;
            boolean has2xx = false;
            for (String code : names(op.path("responses"))) has2xx |= code.matches("2(\\d\\d|XX)");
            if (!has2xx) problems.add(where + ": no 2xx response");
            JsonNode security = op.get("security");
            if (security == null || !security.isArray()) {
                problems.add(where + ": no operation-level `security` (use [] for an operation without a token)");
            } else {
                for (JsonNode requirement : security) {
                    for (String scheme : names(requirement)) {
                        if (!schemes.contains(scheme)) problems.add(where + ": unknown security scheme '" + scheme + "'");
                    }
                }
            }
            if (op.path("operationId").asText().isBlank()) problems.add(where + ": no operationId");
        });
        assertThat(problems).as("operations that break the rules").isEmpty();
    }

    @Test
    void pathParametersAreDeclared() {
        List<String> problems = new ArrayList<>();
        doc.path("paths").properties().forEach(pathEntry -> {
            String path = pathEntry.getKey();
            JsonNode item = pathEntry.getValue();
            Matcher m = PATH_PARAM.matcher(path);
            List<String> names = new ArrayList<>();
            while (m.find()) names.add(m.group(1));
            for (String opKey : names(item)) {
                if (!OPERATION_KEYS.contains(opKey)) continue;
                Set<String> declared = new TreeSet<>();
                for (JsonNode list : List.of(item.path("parameters"), item.path(opKey).path("parameters"))) {
                    for (JsonNode p : list) {
                        JsonNode param = resolve(p);
                        if ("path".equals(param.path("in").asText()) && param.path("required").asBoolean()) {
                            declared.add(param.path("name").asText());
                        }
                    }
                }
                for (String name : names) {
                    if (!declared.contains(name)) problems.add(opKey.toUpperCase(Locale.ROOT) + " " + path + ": path parameter '" + name + "' not declared");
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        collectRefs(doc, broken);
        assertThat(broken).as("$ref values that point nowhere").isEmpty();
    }

    @Test
    void problemSchemaHasTheRfc9457Members() {
        JsonNode problem = doc.path("components").path("schemas").path("Problem").path("properties");
        assertThat(names(problem)).contains("type", "title", "status", "detail", "instance", "field", "reason", "retryAfter");
    }

    private interface OperationVisitor {
        void visit(String method, String path, JsonNode operation);
    }

    private static void forEachOperation(OperationVisitor visitor) {
        assertThat(doc.path("paths").isObject()).as("document has paths").isTrue();
        doc.path("paths").properties().forEach(pathEntry -> {
            for (Iterator<Map.Entry<String, JsonNode>> it = pathEntry.getValue().properties().iterator(); it.hasNext(); ) {
                var opEntry = it.next();
                if (OPERATION_KEYS.contains(opEntry.getKey())) {
                    visitor.visit(opEntry.getKey().toUpperCase(Locale.ROOT), pathEntry.getKey(), opEntry.getValue());
                }
            }
        });
    }

    /** Javalin also accepts {@code <name>} path parameters; compare both as {@code {name}}, without a trailing slash. */
    private static String normalize(String path) {
        String p = path.replaceAll("<([^>/]+)>", "{$1}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static Set<String> names(JsonNode object) {
        Set<String> out = new TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : doc.at(ref.asText().substring(1));
    }

    private static void collectRefs(JsonNode node, List<String> broken) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String r = ref.asText();
                if (!r.startsWith("#/") || doc.at(r.substring(1)).isMissingNode()) broken.add(r);
            }
            node.elements().forEachRemaining(child -> collectRefs(child, broken));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectRefs(child, broken));
        }
    }
}
