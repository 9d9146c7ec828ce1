package io.chathub.events;

import io.chathub.db.Database;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one path by which events leave a change: queued with the current transaction and published
 * only after it commits (never on rollback). Before that, each {@link InTransaction} listener is told of
 * the event inside the transaction that causes it, so that it can write what must commit (or roll back)
 * with the change itself — the webhook queue does.
 */
public final class EventPublisher {
    private final Database db;
    private final EventBus bus;
    private final List<InTransaction> listeners = new CopyOnWriteArrayList<>();

    /**
     * Told of every event (control events too) inside the transaction of the change that causes it, on the thread
     * that publishes it; its writes through the {@link Database} join that transaction, so they commit with the change
     * or not at all (a savepoint rolled back undoes them too). An event published outside any transaction is told
     * outside one. It must be quick and must not publish events itself; what it throws fails the change.
     */
    @FunctionalInterface
    public interface InTransaction {
        void inTransaction(Event event);
    }

    public EventPublisher(Database db, EventBus bus) {
        this.db = db;
        this.bus = bus;
    }

    /** Adds a listener told of every event inside its transaction (see {@link InTransaction}). */
    public void listen(InTransaction listener) {
        listeners.add(listener);
    }

    public void publishAfterCommit(Event event) {
        for (InTransaction l : listeners) l.inTransaction(event);
        db.afterCommit(() -> bus.publish(event));
    }
}
