package io.chathub.hub;

/**
 * One WebSocket text message ready to send: serialized once, then shared by every connection it goes to.
 * The weight counts against a connection's outbound byte budget; it is the text's length, which for JSON is
 * the UTF-8 size or close to it, and costs nothing to compute.
 */
record Frame(String text, int weight) {
    static Frame of(String text) {
        return new Frame(text, text.length());
    }
}
