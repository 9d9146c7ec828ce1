package io.chathub.channel;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Public, signed, expiring links to the files of outbound messages, for messengers that fetch a file themselves
 * (Viber and WhatsApp take a URL): {@code <CHATHUB_PUBLIC_URL>/api/channels/{type}/{cid}/media/{hash}?exp=…&sig=…}.
 * The signature (HMAC-SHA256 under a key derived from the server's secret key) covers the channel, the file and the
 * expiry, so a link opens only that file, only through that channel, and only for {@link #LIFETIME}.
 */
final class MediaLinks {
    static final Duration LIFETIME = Duration.ofDays(7);

    private final CredentialBox box;
    private final Clock clock;

    MediaLinks(CredentialBox box, Clock clock) {
        this.box = box;
        this.clock = clock;
    }

    String url(String publicUrl, Channel channel, String hash) {
        long exp = clock.instant().plus(LIFETIME).getEpochSecond();
        return publicUrl + "/api/channels/" + channel.type() + "/" + channel.id() + "/media/" + hash + "?exp=" + exp
                + "&sig=" + sign(channel.type(), channel.id(), hash, exp);
    }

    boolean valid(String type, long channelId, String hash, String exp, String sig) {
        if (exp == null || sig == null || !exp.matches("[0-9]{1,12}")) return false;
        long expiry = Long.parseLong(exp);
        if (expiry < clock.instant().getEpochSecond()) return false;
        return MessageDigest.isEqual(sign(type, channelId, hash, expiry).getBytes(), sig.getBytes());
    }

    private String sign(String type, long channelId, String hash, long exp) {
        byte[] mac = box.mac("media-link", type + "/" + channelId + "/" + hash + "/" + exp);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }
}
