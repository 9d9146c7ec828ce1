package io.chathub.hub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.Supplier;

/**
 * The hub's meters: open connections, frames (hub-protocol records) sent and dropped, the WebSocket messages that
 * carried the sent ones (a writer joins the frames waiting for a connection into one message), connections closed
 * for being too slow.
 */
final class HubMetrics {
    private final Counter framesSent;
    private final Counter messagesSent;
    private final Counter framesDropped;
    private final Counter slowConsumerCloses;

    HubMetrics(MeterRegistry registry, Supplier<Number> openConnections) {
        Gauge.builder("chathub.hub.connections", openConnections)
                .description("Open hub connections (handshake completed)")
                .register(registry);
        framesSent = Counter.builder("chathub.hub.frames.sent")
                .description("Hub-protocol records (queued frames) written to hub clients").register(registry);
        messagesSent = Counter.builder("chathub.hub.messages.sent")
                .description("WebSocket messages written to hub clients; one carries one or more frames").register(registry);
        framesDropped = Counter.builder("chathub.hub.frames.dropped")
                .description("Messages discarded because their connection was closing or over its outbound bound")
                .register(registry);
        slowConsumerCloses = Counter.builder("chathub.hub.slow.consumer.closes")
                .description("Connections closed because their outbound queue overflowed").register(registry);
    }

    /** One WebSocket message written, carrying {@code frames} frames. */
    void sent(int frames) {
        messagesSent.increment();
        framesSent.increment(frames);
    }

    void dropped(int frames) {
        if (frames > 0) framesDropped.increment(frames);
    }

    void slowConsumerClosed() {
        slowConsumerCloses.increment();
    }
}
