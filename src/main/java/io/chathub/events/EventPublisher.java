package io.chathub.events;

import io.chathub.db.Database;

/**
 * The one path by which events leave a change: queued with the current transaction and published
 * only after it commits (never on rollback).
 */
public final class EventPublisher {
    private final Database db;
    private final EventBus bus;

    public EventPublisher(Database db, EventBus bus) {
        this.db = db;
        this.bus = bus;
    }

    public void publishAfterCommit(Event event) {
        db.afterCommit(() -> bus.publish(event));
    }
}
