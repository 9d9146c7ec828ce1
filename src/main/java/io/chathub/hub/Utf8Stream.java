package io.chathub.hub;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the binary WebSocket messages of one connection as one UTF-8 stream. ASP.NET's transport ignores the
 * frame type, and the official Java client sends its JSON in binary frames; a character may then straddle two
 * messages, so its leading bytes wait here for the rest.
 */
final class Utf8Stream {
    private static final byte[] NONE = new byte[0];

    private CharsetDecoder decoder; // made on the first binary message: most connections never send one
    private byte[] leftover = NONE;

    /** The text of this message, up to a character it leaves incomplete; throws on bytes that are not UTF-8. */
    String decode(ByteBuffer message) throws CharacterCodingException {
        if (decoder == null) {
            decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        ByteBuffer in = withLeftover(message);
        CharBuffer out = CharBuffer.allocate((int) Math.ceil(in.remaining() * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, false);
        if (result.isError()) result.throwException();
        leftover = in.hasRemaining() ? new byte[in.remaining()] : NONE; // at most 3 bytes: the start of a character
        in.get(leftover);
        return out.flip().toString();
    }

    /** Whether bytes of an unfinished character are waiting. */
    boolean hasLeftover() {
        return leftover.length > 0;
    }

    private ByteBuffer withLeftover(ByteBuffer message) {
        if (leftover.length == 0) return message;
        ByteBuffer joined = ByteBuffer.allocate(leftover.length + message.remaining());
        joined.put(leftover).put(message).flip();
        return joined;
    }
}
