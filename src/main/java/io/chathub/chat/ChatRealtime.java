package io.chathub.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.auth.Principal;
import io.chathub.events.ControlEvents;
import io.chathub.events.Event;
import io.chathub.events.EventBus;
import io.chathub.hub.Audience;
import io.chathub.hub.Hub;
import io.chathub.hub.HubException;
import io.chathub.hub.HubMethod;
import io.chathub.media.MediaService;
import io.chathub.operator.OperatorStatus;
import io.chathub.web.ApiException;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Binds chats to the real-time hub (SPEC §3): the hub methods clients call, the delivery of events
 * to the connections that may see them, presence for routing, and closing connections whose token
 * was revoked or whose operator was deactivated.
 */
public final class ChatRealtime {
    /** How long a message that arrived ahead of a gap in its chat's seqs waits for the missing ones. */
    static final Duration GAP_WAIT = Duration.ofMillis(250);

    private ChatRealtime() {}

    /** Binds everything; the returned handle stops the message orderer's timer. */
    public static AutoCloseable bind(Hub hub, ChatService chats, ChatStore store, EventBus bus, Presence presence,
                                     Router router) {
        registerMethods(hub, chats);
        var order = new MessageOrder(store::messages, GAP_WAIT, event -> send(hub, event));
        bus.subscribe(event -> {
            if (ControlEvents.isControl(event.target())) control(hub, router, event);
            else if (MessageOrder.isMessageEvent(event)) order.accept(event);
            else send(hub, event);
        });
        hub.onConnected(c -> {
            // The row is written before the client gets its handshake answer; then routing offers the queue.
            if (c.principal() instanceof Principal.Operator op && presence.connected(op.operatorId())) {
                router.rebalance(op.organizationId());
            }
        });
        hub.onDisconnected(c -> {
            if (c.principal() instanceof Principal.Operator op) presence.disconnected(op.operatorId());
        });
        presence.onExpired(router::rebalance);
        return order;
    }

    private static void registerMethods(Hub hub, ChatService chats) {
        hub.method("SendMessage", 2, guarded((c, a) -> chats.send(c.principal(), id(a.get(0), "chatId"),
                new ChatService.Outgoing(text(a.get(1)), null, null, null))));
        hub.method("SendMediaMessage", 2, guarded((c, a) -> chats.send(c.principal(), id(a.get(0), "chatId"),
                new ChatService.Outgoing(null, null, upload(a.get(1)), null))));
        hub.method("Typing", 1, guarded((c, a) -> {
            chats.typing(c.principal(), id(a.get(0), "chatId"));
            return null;
        }));
        hub.method("MarkRead", 2, guarded((c, a) -> {
            chats.markRead(c.principal(), id(a.get(0), "chatId"), number(a.get(1), "seq"));
            return null;
        }));
        hub.method("SetChatStatus", 2, guarded((c, a) -> {
            chats.setStatus(c.principal(), id(a.get(0), "chatId"), (int) number(a.get(1), "status"));
            return null;
        }));
    }

    /** Turns the service's errors into the Completion error the caller reads. */
    private static HubMethod guarded(HubMethod method) {
        return (connection, arguments) -> {
            if (connection.principal() instanceof Principal.Visitor) {
                throw new HubException("A website visitor sends through /api/widget/{guid}/messages");
            }
            try {
                return method.invoke(connection, arguments);
            } catch (ApiException e) {
                throw new HubException(e.detail());
            }
        };
    }

    /** The events of its own chats that a website visitor hears (never ChatCreated: it made the chat). */
    static final java.util.Set<String> VISITOR_EVENTS = java.util.Set.of("ReceiveMessage", "ReceiveMediaMessage", "Typing",
            "MessageStatusChanged", "ChatStatusChanged", "ChatAssigned", "ChatRated");

    private static void send(Hub hub, Event event) {
        Audience audience = event.operatorId() == null
                ? Audience.organization(event.companyId(), event.organizationId())
                : Audience.operator(event.operatorId());
        hub.send(audience, event.target(), event.args());
        if (event.clientId() != null && VISITOR_EVENTS.contains(event.target())) {
            hub.send(Audience.client(event.clientId()), event.target(), visitorView(event.args()));
        }
    }

    /** What a visitor may see of a chat event: the chat without the other side's internals. */
    private static Object[] visitorView(Object[] args) {
        return args;
    }

    private static void control(Hub hub, Router router, Event event) {
        switch (event.target()) {
            case ControlEvents.TOKEN_REVOKED -> {
                String jti = String.valueOf(arg(event, 0));
                hub.close(p -> p.tokenId().equals(jti), "Invalid token");
            }
            case ControlEvents.OPERATOR_TOKENS_REVOKED -> closeOperator(hub, event.operatorId());
            case ControlEvents.OPERATOR_STATUS -> {
                int status = Integer.parseInt(String.valueOf(arg(event, 1)));
                if (status != OperatorStatus.ACTIVE.code()) closeOperator(hub, event.operatorId());
                else router.rebalance(event.organizationId());
            }
            case ControlEvents.OPERATORS_CHANGED -> router.rebalance(event.organizationId());
            case ControlEvents.ORGANIZATION_DELETED -> hub.close(p -> (p instanceof Principal.Operator op
                    && op.organizationId() == event.organizationId())
                    || (p instanceof Principal.Visitor v && v.organizationId() == event.organizationId()), "Invalid token");
            case ControlEvents.WIDGET_GUID_ROTATED -> hub.close(p -> p instanceof Principal.Visitor v
                    && v.organizationId() == event.organizationId(), "Invalid token");
            default -> { }
        }
    }

    private static Object arg(Event event, int i) {
        Object v = event.args()[i];
        return v instanceof JsonNode n ? n.asText() : v;
    }

    private static void closeOperator(Hub hub, long operatorId) {
        hub.close(p -> p instanceof Principal.Operator op && op.operatorId() == operatorId, "Invalid token");
    }

    private static long id(JsonNode v, String name) {
        long n = number(v, name);
        if (n <= 0) throw new HubException("'" + name + "' must be a positive integer");
        return n;
    }

    private static long number(JsonNode v, String name) {
        if (v != null && v.isIntegralNumber()) return v.longValue();
        if (v != null && v.isTextual()) {
            Long n = io.chathub.web.Params.strictLong(v.asText());
            if (n != null) return n;
        }
        throw new HubException("'" + name + "' must be an integer");
    }

    private static String text(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new HubException("The message text must be a string");
        return v.asText();
    }

    /** {Name, Format, DataBase64, Type}, names matched case-insensitively as ASP.NET binds them. */
    private static MediaService.Upload upload(JsonNode v) {
        if (v == null || !v.isObject()) throw new HubException("The media must be an object {Name, Format, DataBase64, Type}");
        JsonNode data = field(v, "dataBase64");
        if (data == null || !data.isTextual()) throw new HubException("'DataBase64' is required");
        byte[] bytes;
        try {
            String b64 = data.asText();
            int comma = b64.startsWith("data:") ? b64.indexOf(',') : -1;
            bytes = MediaService.decodeBase64(comma >= 0 ? b64.substring(comma + 1) : b64);
        } catch (IllegalArgumentException e) {
            throw new HubException("'DataBase64' is not valid base64");
        }
        JsonNode name = field(v, "name");
        JsonNode format = field(v, "format");
        JsonNode type = field(v, "type");
        return new MediaService.Upload(name == null ? null : name.asText(), format == null ? null : format.asText(),
                type != null && type.canConvertToInt() ? type.intValue() : null, bytes);
    }

    private static JsonNode field(JsonNode object, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) return e.getValue().isNull() ? null : e.getValue();
        }
        return null;
    }

}
