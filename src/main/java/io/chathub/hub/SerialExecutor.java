package io.chathub.hub;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs one connection's tasks (its invocations and its connected/disconnected notifications) one after another,
 * in submission order, on virtual threads: ASP.NET's default of one invocation at a time per client, which lets a
 * client rely on the order of its own calls. Different connections run in parallel.
 */
final class SerialExecutor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final String name;
    private final int maxPending;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(2); // grows on a burst; small for the many idle sockets
    private boolean running;

    SerialExecutor(String name, int maxPending) {
        this.name = name;
        this.maxPending = maxPending;
    }

    /** Queues a task; false when {@code maxPending} tasks already wait (a client flooding us with calls). */
    boolean submit(Runnable task) {
        return add(task, false);
    }

    /** Queues a task that must run whatever the backlog (the disconnected notification). */
    void submitAlways(Runnable task) {
        add(task, true);
    }

    private boolean add(Runnable task, boolean always) {
        boolean start;
        lock.lock();
        try {
            if (!always && tasks.size() >= maxPending) return false;
            tasks.add(task);
            start = !running;
            running = true;
        } finally {
            lock.unlock();
        }
        if (start) Thread.ofVirtual().name("hub-invoke-" + name).start(this::runAll);
        return true;
    }

    private void runAll() {
        while (true) {
            Runnable task;
            lock.lock();
            try {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("hub task of connection {} failed", name, e);
            }
        }
    }
}
