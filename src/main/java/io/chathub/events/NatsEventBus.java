package io.chathub.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chathub.web.Json;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The cluster bus over core NATS: events are delivered locally at once (same guarantees as
 * {@link LocalEventBus}) and published on one subject for the other nodes, which deliver them to
 * their own subscribers. Core NATS keeps one publisher's messages in order on a subject, so each
 * node's event order holds on every other node. Delivery to other nodes is at most once: a node
 * that was cut off re-syncs its clients from the database, which stays the record.
 */
public final class NatsEventBus implements EventBus {
    private static final Logger log = LoggerFactory.getLogger(NatsEventBus.class);
    static final String SUBJECT = "chathub.events";

    private final LocalEventBus local = new LocalEventBus();
    private final String nodeId = UUID.randomUUID().toString();
    private final Connection nats;
    private final Dispatcher dispatcher;
    private final String subject;

    public NatsEventBus(String url, String subjectPrefix) {
        this.subject = subjectPrefix == null || subjectPrefix.isBlank() ? SUBJECT : subjectPrefix + "." + SUBJECT;
        try {
            this.nats = Nats.connect(new Options.Builder().server(url).connectionName("chathub-" + nodeId)
                    .maxReconnects(-1).reconnectWait(Duration.ofMillis(500)).build());
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to NATS at " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        }
        this.dispatcher = nats.createDispatcher(msg -> receive(msg.getData()));
        dispatcher.subscribe(subject);
        log.info("event bus: NATS {} subject={} bus instance={}", url, subject, nodeId);
    }

    public String nodeId() {
        return nodeId;
    }

    @Override
    public void publish(Event event) {
        local.publish(event);
        nats.publish(subject, encode(event));
    }

    private byte[] encode(Event e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("node", nodeId);
        n.put("companyId", e.companyId());
        n.put("organizationId", e.organizationId());
        if (e.operatorId() != null) n.put("operatorId", e.operatorId());
        if (e.clientId() != null) n.put("clientId", e.clientId());
        n.put("target", e.target());
        n.set("args", Json.MAPPER.valueToTree(e.args()));
        return Json.write(n).getBytes(StandardCharsets.UTF_8);
    }

    private void receive(byte[] data) {
        try {
            JsonNode n = Json.read(new String(data, StandardCharsets.UTF_8));
            if (nodeId.equals(n.path("node").asText())) return; // already delivered locally
            JsonNode args = n.path("args");
            Object[] values = new Object[args.size()];
            for (int i = 0; i < args.size(); i++) values[i] = args.get(i);
            Long operatorId = n.hasNonNull("operatorId") ? n.get("operatorId").asLong() : null;
            Long clientId = n.hasNonNull("clientId") ? n.get("clientId").asLong() : null;
            local.publish(new Event(n.path("companyId").asLong(), n.path("organizationId").asLong(), operatorId, clientId,
                    n.path("target").asText(), values));
        } catch (IOException | RuntimeException e) {
            log.warn("dropping a malformed cluster event: {}", e.toString());
        }
    }

    @Override
    public AutoCloseable subscribe(Consumer<Event> subscriber) {
        return local.subscribe(subscriber);
    }

    @Override
    public void close() {
        try {
            nats.closeDispatcher(dispatcher);
            nats.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            local.close();
        }
    }
}
