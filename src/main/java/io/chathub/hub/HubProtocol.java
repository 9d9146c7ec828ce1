package io.chathub.hub;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.chathub.web.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON hub protocol of ASP.NET Core SignalR, version 1: the handshake and every message type, as text
 * records terminated by the record separator 0x1E. Decoding is strict where the protocol says a field is
 * required (a violation is a {@link HubProtocolException}) and ignores what it does not know (headers).
 */
final class HubProtocol {
    static final char RS = '\u001e';
    static final String NAME = "json";
    static final int VERSION = 1;

    static final int INVOCATION = 1, STREAM_ITEM = 2, COMPLETION = 3, STREAM_INVOCATION = 4,
            CANCEL_INVOCATION = 5, PING = 6, CLOSE = 7, ACK = 8, SEQUENCE = 9;

    static final Frame PING_FRAME = Frame.of("{\"type\":6}" + RS);
    static final Frame HANDSHAKE_OK = Frame.of("{}" + RS);

    // A record is exactly one JSON object: "{} {}" must not pass as its first half.
    private static final ObjectReader READER = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private HubProtocol() {}

    record HandshakeRequest(String protocol, int version) {}

    // ---- decoding ----

    static HandshakeRequest parseHandshake(String record) {
        JsonNode node = readObject(record);
        String protocol = requiredString(node, "protocol");
        JsonNode version = node.get("version");
        if (version == null) throw new HubProtocolException("Missing required property 'version'.");
        if (!version.isIntegralNumber()) throw new HubProtocolException("Expected 'version' to be of type Integer.");
        return new HandshakeRequest(protocol, version.asInt());
    }

    static HubMessage parse(String record) {
        JsonNode node = readObject(record);
        JsonNode type = node.get("type");
        if (type == null) throw new HubProtocolException("Missing required property 'type'.");
        if (!type.isIntegralNumber()) throw new HubProtocolException("Expected 'type' to be of type Integer.");
        int t = type.asInt();
        return switch (t) {
            case INVOCATION -> invocation(node);
            case STREAM_ITEM -> new HubMessage.StreamItem(requiredString(node, "invocationId"));
            case COMPLETION -> completion(node);
            case STREAM_INVOCATION -> new HubMessage.StreamInvocation(requiredString(node, "invocationId"),
                    requiredString(node, "target"));
            case CANCEL_INVOCATION -> new HubMessage.CancelInvocation(requiredString(node, "invocationId"));
            case PING -> new HubMessage.Ping();
            case CLOSE -> new HubMessage.Close(optionalString(node, "error"));
            case ACK, SEQUENCE -> new HubMessage.StatefulReconnect(t);
            default -> throw new HubProtocolException("Unknown message type: " + t);
        };
    }

    private static HubMessage.Invocation invocation(JsonNode node) {
        String id = optionalString(node, "invocationId");
        String target = requiredString(node, "target");
        JsonNode args = node.get("arguments");
        List<JsonNode> arguments = new ArrayList<>();
        if (args != null && !args.isNull()) {
            if (!args.isArray()) throw new HubProtocolException("Expected 'arguments' to be of type Array.");
            args.forEach(arguments::add);
        }
        JsonNode streams = node.get("streamIds");
        boolean hasStreams = streams != null && streams.isArray() && !streams.isEmpty();
        return new HubMessage.Invocation(id, target, List.copyOf(arguments), hasStreams);
    }

    private static HubMessage.Completion completion(JsonNode node) {
        String id = requiredString(node, "invocationId");
        if (node.has("error") && node.has("result")) {
            throw new HubProtocolException("The 'error' and 'result' properties are mutually exclusive.");
        }
        optionalString(node, "error");
        return new HubMessage.Completion(id);
    }

    private static JsonNode readObject(String record) {
        JsonNode node;
        try {
            node = READER.readTree(record);
        } catch (JsonProcessingException e) {
            throw new HubProtocolException("Error reading JSON.");
        }
        if (node == null || node.isMissingNode()) throw new HubProtocolException("Error reading JSON."); // empty record
        if (!node.isObject()) throw new HubProtocolException("Expected a JSON object.");
        return node;
    }

    private static String requiredString(JsonNode node, String field) {
        String value = optionalString(node, field);
        if (value == null) throw new HubProtocolException("Missing required property '" + field + "'.");
        return value;
    }

    private static String optionalString(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw new HubProtocolException("Expected '" + field + "' to be of type String.");
        return value.textValue();
    }

    // ---- encoding ----

    static Frame handshakeError(String error) {
        return write(g -> g.writeStringField("error", error));
    }

    /** A non-blocking invocation of a client method: no invocation id, the client sends no Completion. */
    static Frame invocation(String target, Object[] arguments) {
        return write(g -> {
            g.writeNumberField("type", INVOCATION);
            g.writeStringField("target", target);
            g.writeArrayFieldStart("arguments");
            for (Object a : arguments) g.writeObject(a);
            g.writeEndArray();
        });
    }

    /** A Completion with a result, or without one (a void method) when {@code result} is null. */
    static Frame completionResult(String invocationId, Object result) {
        return write(g -> {
            g.writeNumberField("type", COMPLETION);
            g.writeStringField("invocationId", invocationId);
            if (result != null) g.writeObjectField("result", result);
        });
    }

    static Frame completionError(String invocationId, String error) {
        return write(g -> {
            g.writeNumberField("type", COMPLETION);
            g.writeStringField("invocationId", invocationId);
            g.writeStringField("error", error);
        });
    }

    /** allowReconnect is written only when true, as ASP.NET does; a client treats its absence as false. */
    static Frame close(String error, boolean allowReconnect) {
        return write(g -> {
            g.writeNumberField("type", CLOSE);
            if (error != null) g.writeStringField("error", error);
            if (allowReconnect) g.writeBooleanField("allowReconnect", true);
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static Frame write(Body body) {
        var out = new ByteArrayBuilder(256);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize hub message: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write(RS); // U+001E is one byte in UTF-8; inside strings the generator escapes it
        return Frame.ofUtf8(out.toByteArray());
    }
}
