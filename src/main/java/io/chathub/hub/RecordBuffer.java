package io.chathub.hub;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the text a client sends into hub-protocol records. A WebSocket message may hold several records, and a
 * record may be split over several messages, so the tail after the last separator waits for the next message.
 * Every record, and the waiting tail, is held to the maximum message size, so a client cannot make us buffer
 * without bound by never sending a separator.
 */
final class RecordBuffer {
    private static final int KEEP_CAPACITY = 8 * 1024;

    private final int maxRecordBytes;
    private StringBuilder pending; // the unfinished record; null while there is none (made on first use)

    RecordBuffer(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The records this text completes, in order; throws {@link HubProtocolException} when one is too large. */
    List<String> append(String text) {
        List<String> records = new ArrayList<>(1);
        int start = 0;
        for (int end; (end = text.indexOf(HubProtocol.RS, start)) >= 0; start = end + 1) {
            String record = pending == null || pending.isEmpty() ? text.substring(start, end) : takePending(text, start, end);
            checkSize(record);
            records.add(record);
        }
        if (start < text.length()) {
            if (pending == null) pending = new StringBuilder();
            pending.append(text, start, text.length());
            checkSize(pending);
        }
        return records;
    }

    private String takePending(String text, int start, int end) {
        String record = pending.append(text, start, end).toString();
        // A one-off large record must not pin its buffer for the life of the connection.
        pending = pending.capacity() > KEEP_CAPACITY ? null : pending.delete(0, pending.length());
        return record;
    }

    private void checkSize(CharSequence s) {
        if (utf8LengthExceeds(s, maxRecordBytes)) {
            throw new HubProtocolException("The maximum message size of " + maxRecordBytes + "B was exceeded.");
        }
    }

    /** Whether the UTF-8 encoding of {@code s} is longer than {@code max}, counting only when it could be. */
    static boolean utf8LengthExceeds(CharSequence s, long max) {
        int n = s.length();
        if (n > max) return true;
        if (3L * n <= max) return false;
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c)) { bytes += 4; i++; }
            else bytes += 3;
        }
        return bytes > max;
    }
}
