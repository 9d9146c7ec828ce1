package io.chathub.hub;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordBufferTest {
    private static final String RS = "\u001e";

    @Test
    void splitsSeveralRecordsAndKeepsTheTailForTheNextMessage() {
        var buffer = new RecordBuffer(1024);
        assertThat(buffer.append("{\"a\":1}" + RS + "{\"b\":2}" + RS + "{\"c\"")).containsExactly("{\"a\":1}", "{\"b\":2}");
        assertThat(buffer.append(":3}")).isEmpty();
        assertThat(buffer.append(RS + "{}" + RS)).containsExactly("{\"c\":3}", "{}");
    }

    @Test
    void emptyRecordsAreKeptForTheParserToReject() {
        assertThat(new RecordBuffer(1024).append(RS + RS)).containsExactly("", "");
    }

    @Test
    void aRecordOverTheLimitIsAProtocolError() {
        var buffer = new RecordBuffer(10);
        assertThat(buffer.append("0123456789" + RS)).containsExactly("0123456789");
        assertThatThrownBy(() -> buffer.append("0123456789X" + RS))
                .isInstanceOf(HubProtocolException.class).hasMessage("The maximum message size of 10B was exceeded.");
    }

    @Test
    void anUnterminatedTailOverTheLimitIsAProtocolError() {
        var buffer = new RecordBuffer(10);
        buffer.append("01234");
        assertThatThrownBy(() -> buffer.append("567890")).isInstanceOf(HubProtocolException.class);
    }

    @Test
    void theLimitCountsUtf8Bytes() {
        assertThat(RecordBuffer.utf8LengthExceeds("ab", 2)).isFalse();
        assertThat(RecordBuffer.utf8LengthExceeds("€", 2)).isTrue();   // 3 bytes
        assertThat(RecordBuffer.utf8LengthExceeds("€", 3)).isFalse();
        assertThat(RecordBuffer.utf8LengthExceeds("😀", 3)).isTrue();  // 4 bytes, 2 chars
        assertThat(RecordBuffer.utf8LengthExceeds("😀", 4)).isFalse();
    }
}
