package io.chathub.hub;

import java.nio.charset.StandardCharsets;

/**
 * One hub-protocol record ready to send (its JSON and the 0x1E separator), encoded to UTF-8 once and then shared
 * by every connection it goes to: a fan-out serializes and encodes an event once, not once per connection. The
 * bytes are never changed after construction. The weight that counts against a connection's outbound byte budget
 * is their number.
 */
final class Frame {
    private final byte[] utf8;

    private Frame(byte[] utf8) {
        this.utf8 = utf8;
    }

    static Frame of(String text) {
        return new Frame(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Takes the array as it is (the caller hands it over and does not change it afterwards). */
    static Frame ofUtf8(byte[] utf8) {
        return new Frame(utf8);
    }

    /** The encoded record; shared, so read only. */
    byte[] utf8() {
        return utf8;
    }

    int weight() {
        return utf8.length;
    }

    /** The record as text (tests, logs). */
    String text() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text();
    }
}
