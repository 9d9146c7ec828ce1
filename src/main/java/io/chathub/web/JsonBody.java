package io.chathub.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed JSON request body with typed accessors that fail with a 400 naming the field.
 * Field names match case-insensitively, as ASP.NET Core's model binding does ({@code Id} = {@code id}).
 */
public final class JsonBody {
    private final JsonNode node;
    private final String path;

    private JsonBody(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The body of the request as a JSON object. */
    public static JsonBody object(Context ctx) {
        JsonNode node = parse(ctx);
        if (!node.isObject()) throw ApiException.badRequest("body", "Request body must be a JSON object");
        return new JsonBody(node, "");
    }

    /** The body of the request as a JSON array of objects. */
    public static List<JsonBody> array(Context ctx) {
        JsonNode node = parse(ctx);
        if (!node.isArray()) throw ApiException.badRequest("body", "Request body must be a JSON array");
        List<JsonBody> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isObject()) throw ApiException.badRequest("[" + i + "]", "Item " + i + " must be a JSON object");
            items.add(new JsonBody(item, "[" + i + "]."));
        }
        return items;
    }

    private static JsonNode parse(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        RequestLimits.checkRead(ctx, bytes.length);
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (text.isBlank()) throw ApiException.badRequest("body", "Request body is missing");
        try {
            JsonNode node = Json.read(text);
            if (node == null || node.isMissingNode()) throw ApiException.badRequest("body", "Request body is missing");
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "Request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private JsonNode find(String name) {
        JsonNode exact = node.get(name);
        if (exact != null) return exact;
        for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) node).fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue();
        }
        return null;
    }

    private JsonNode present(String name) {
        JsonNode v = find(name);
        return v == null || v.isNull() ? null : v;
    }

    public boolean has(String name) {
        return present(name) != null;
    }

    /** True when the field is in the body at all, even as an explicit null (which means "clear it"). */
    public boolean contains(String name) {
        return find(name) != null;
    }

    private String f(String name) {
        return path + name;
    }

    public String requiredString(String name) {
        return optionalString(name).orElseThrow(() -> ApiException.badRequest(f(name), "Field '" + f(name) + "' is required"));
    }

    /** A required string that is not blank; trimmed. */
    public String requiredText(String name, int maxLength) {
        String v = requiredString(name).strip();
        if (v.isEmpty()) throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must not be blank");
        if (v.length() > maxLength) throw ApiException.badRequest(f(name), "Field '" + f(name) + "' is longer than " + maxLength + " characters");
        return v;
    }

    public Optional<String> optionalString(String name) {
        JsonNode v = present(name);
        if (v == null) return Optional.empty();
        if (!v.isTextual()) throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be a string");
        return Optional.of(noNul(name, v.asText()));
    }

    /** PostgreSQL cannot store U+0000 in text; refuse it on every database alike. */
    private String noNul(String name, String value) {
        if (value.indexOf('\0') >= 0) {
            throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must not contain NUL (U+0000) characters");
        }
        return value;
    }

    /** An optional string, trimmed, limited in length; blank counts as absent. */
    public Optional<String> optionalText(String name, int maxLength) {
        return optionalString(name).map(String::strip).filter(s -> !s.isEmpty()).map(s -> {
            if (s.length() > maxLength) throw ApiException.badRequest(f(name), "Field '" + f(name) + "' is longer than " + maxLength + " characters");
            return s;
        });
    }

    public Optional<Boolean> optionalBoolean(String name) {
        JsonNode v = present(name);
        if (v == null) return Optional.empty();
        if (!v.isBoolean()) throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be true or false");
        return Optional.of(v.booleanValue());
    }

    public long requiredLong(String name) {
        return optionalLong(name).orElseThrow(() -> ApiException.badRequest(f(name), "Field '" + f(name) + "' is required"));
    }

    public Optional<Long> optionalLong(String name) {
        JsonNode v = present(name);
        if (v == null) return Optional.empty();
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be an integer");
        }
        return Optional.of(v.longValue());
    }

    /** A required id: a positive integer. */
    public long requiredId(String name) {
        long v = requiredLong(name);
        if (v <= 0) throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be a positive integer");
        return v;
    }

    /** A required enum field: its code or (extension) its name. */
    public int requiredEnum(String name, WireEnum values) {
        return optionalEnum(name, values).orElseThrow(() -> ApiException.badRequest(f(name), "Field '" + f(name) + "' is required"));
    }

    /** An optional enum field: its code or (extension) its name. */
    public Optional<Integer> optionalEnum(String name, WireEnum values) {
        JsonNode v = present(name);
        if (v == null) return Optional.empty();
        if (v.isTextual()) {
            int code = values.codeOf(v.asText());
            if (code < 0) {
                throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be one of " + values.choices()
                        + ", got '" + v.asText() + "'");
            }
            return Optional.of(code);
        }
        return optionalInt(name, 0, values.max());
    }

    public int requiredInt(String name, int min, int max) {
        return optionalInt(name, min, max).orElseThrow(() -> ApiException.badRequest(f(name), "Field '" + f(name) + "' is required"));
    }

    public Optional<Integer> optionalInt(String name, int min, int max) {
        return optionalLong(name).map(v -> {
            if (v < min || v > max) {
                throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be between " + min + " and " + max);
            }
            return v.intValue();
        });
    }

    public Instant requiredInstant(String name) {
        String text = requiredString(name);
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                // ISO date-time without an offset (as .NET often sends): taken as UTC.
                return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be an ISO-8601 date-time, got '" + text + "'");
            }
        }
    }

    public Optional<List<String>> optionalStringList(String name) {
        JsonNode v = present(name);
        if (v == null) return Optional.empty();
        if (!v.isArray()) throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be an array of strings");
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be an array of strings");
            out.add(noNul(name, item.asText()));
        }
        return Optional.of(out);
    }

    /** A required nested object. */
    public JsonBody requiredObject(String name) {
        return optionalObject(name).orElseThrow(() -> ApiException.badRequest(f(name), "Field '" + f(name) + "' is required"));
    }

    /** An optional nested object. */
    public Optional<JsonBody> optionalObject(String name) {
        JsonNode v = present(name);
        if (v == null) return Optional.empty();
        if (!v.isObject()) throw ApiException.badRequest(f(name), "Field '" + f(name) + "' must be an object");
        return Optional.of(new JsonBody(v, f(name) + "."));
    }

    /** A nested JSON value, as is (for settings kept as JSON). */
    public Optional<JsonNode> optionalNode(String name) {
        return Optional.ofNullable(present(name));
    }
}
