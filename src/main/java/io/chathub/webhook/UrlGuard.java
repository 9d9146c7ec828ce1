package io.chathub.webhook;

import io.chathub.web.ApiException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a webhook may point (SSRF): an absolute {@code http} or {@code https} URL without credentials whose host
 * resolves only to public addresses. Loopback, link-local, private (RFC 1918, shared 100.64/10, IPv6 ULA),
 * multicast, unspecified, broadcast and reserved addresses are refused — also inside IPv4-mapped, IPv4-compatible,
 * NAT64 and 6to4 IPv6 addresses — unless private addresses are allowed (CHATHUB_WEBHOOKS_ALLOW_PRIVATE). The URL is
 * checked when a webhook is made or changed, and its host is resolved and checked again before every attempt: the
 * attempt connects to the very address that was checked, so a DNS answer that changes in between is no way around it.
 */
final class UrlGuard {
    static final int MAX_LENGTH = 2000;

    /** The host resolves to an address that is not allowed. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Resolves a host name to its addresses (the system's resolver; tests may give another). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    UrlGuard(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    UrlGuard(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** A URL as a company gives it, checked in full (its host resolved now): else a 400 naming {@code url}. */
    URI check(String url) {
        URI uri = parse(url);
        try {
            resolve(uri);
        } catch (UnknownHostException e) {
            throw ApiException.badRequest("url", "The host of 'url' (" + uri.getHost() + ") does not resolve");
        } catch (Refused e) {
            throw ApiException.badRequest("url", "'url' is not allowed: " + e.getMessage());
        }
        return uri;
    }

    /** The URL's form: absolute http(s), a host, no credentials, no fragment, ASCII, at most 2,000 characters. */
    static URI parse(String url) {
        if (url == null || url.isBlank()) throw ApiException.badRequest("url", "Field 'url' is required");
        if (url.length() > MAX_LENGTH) throw ApiException.badRequest("url", "Field 'url' is longer than " + MAX_LENGTH + " characters");
        if (!url.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ApiException.badRequest("url", "Field 'url' must be ASCII without spaces (an international host name in its xn-- form)");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("url", "Field 'url' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.badRequest("url", "Field 'url' must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw ApiException.badRequest("url", "Field 'url' needs a host");
        if (uri.getRawUserInfo() != null) throw ApiException.badRequest("url", "Field 'url' must not carry a user name or password");
        if (uri.getRawFragment() != null) throw ApiException.badRequest("url", "Field 'url' must not have a fragment (#…)");
        if (uri.getPort() == 0) throw ApiException.badRequest("url", "Field 'url' has port 0");
        return uri;
    }

    /**
     * Resolves the URL's host once and returns the address to connect to: its first address, when every address it
     * has is allowed (a name with one private address among public ones is refused as a whole).
     */
    InetAddress resolve(URI uri) throws UnknownHostException, Refused {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses.length == 0) throw new UnknownHostException(host);
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                String kind = refusedKind(a);
                if (kind != null) {
                    throw new Refused(uri.getHost() + " resolves to " + a.getHostAddress() + ", a " + kind + " address");
                }
            }
        }
        return addresses[0];
    }

    /** Why an address is not a public one ("loopback", "private", …), or null when it is. */
    static String refusedKind(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            Inet4Address embedded = embeddedV4(b);
            if (embedded != null) return refusedKind(embedded);
            if (v6.isAnyLocalAddress()) return "unspecified";
            if (v6.isLoopbackAddress()) return "loopback";
            if (v6.isLinkLocalAddress()) return "link-local";
            if (v6.isSiteLocalAddress()) return "site-local";
            if (v6.isMulticastAddress()) return "multicast";
            if ((b[0] & 0xfe) == 0xfc) return "private (unique local)";
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) return "documentation";
            return null;
        }
        byte[] b = address.getAddress();
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (address.isAnyLocalAddress() || a0 == 0) return "unspecified";
        if (address.isLoopbackAddress() || a0 == 127) return "loopback";
        if (address.isLinkLocalAddress() || (a0 == 169 && a1 == 254)) return "link-local";
        if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) return "private";
        if (a0 == 100 && a1 >= 64 && a1 <= 127) return "private (shared, carrier-grade NAT)";
        if (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) return "reserved (IETF protocol assignments)";
        if (a0 == 198 && (a1 == 18 || a1 == 19)) return "reserved (benchmarking)";
        if (address.isMulticastAddress() || (a0 >= 224 && a0 <= 239)) return "multicast";
        if (a0 >= 240) return "reserved or broadcast";
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static Inet4Address embeddedV4(byte[] b) {
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) zeros80 &= b[i] == 0;
        boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] & 0xfe) == 0);
        boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) nat64 = b[i] == 0;
        try {
            if (mapped || compatible || nat64) return (Inet4Address) InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16));
            if (b[0] == 0x20 && b[1] == 0x02) return (Inet4Address) InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 2, 6));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
        return null;
    }
}
