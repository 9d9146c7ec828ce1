package io.chathub.events;

import java.util.function.Consumer;

/**
 * Carries events to the subscribers of every node.
 *
 * <p>Guarantees: events published by one thread of one node reach each subscriber in publish order;
 * delivery is at most once and in memory only — the database is the record, and a client that
 * missed something (reconnect, node restart) re-syncs from it ({@code GET …/messages?after=seq}).
 * {@link #publish} never blocks on slow subscribers: they must only enqueue.
 */
public interface EventBus extends AutoCloseable {

    void publish(Event event);

    /** Registers a subscriber for events of all nodes, this one included. */
    AutoCloseable subscribe(Consumer<Event> subscriber);

    @Override
    void close();
}
