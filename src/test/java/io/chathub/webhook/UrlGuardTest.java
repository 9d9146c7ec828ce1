package io.chathub.webhook;

import io.chathub.web.ApiException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SSRF rules of {@link UrlGuard} on their own, with a resolver whose answers the test decides (DNS that changes). */
class UrlGuardTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A resolver that gives these answers in turn, and counts its calls. */
    private static final class ScriptedDns implements UrlGuard.Resolver {
        final Deque<InetAddress[]> answers = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();

        ScriptedDns answer(String... literals) {
            answers.add(List.of(literals).stream().map(UrlGuardTest::ip).toArray(InetAddress[]::new));
            return this;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            calls.incrementAndGet();
            InetAddress[] next = answers.poll();
            if (next == null) throw new UnknownHostException(host);
            return next;
        }
    }

    @Test
    void aNameThatResolvedToAPublicAddressWhenMadeButToLoopbackAtTheDeliveryIsRefusedThen() throws Exception {
        var dns = new ScriptedDns().answer("203.0.113.10").answer("127.0.0.1").answer("203.0.113.10");
        var guard = new UrlGuard(false, dns);
        URI uri = guard.check("https://hooks.example.com/in");

        assertThatThrownBy(() -> guard.resolve(uri)).isInstanceOf(UrlGuard.Refused.class)
                .hasMessage("hooks.example.com resolves to 127.0.0.1, a loopback address");
        assertThat(guard.resolve(uri)).as("the checked address is the one to connect to").isEqualTo(ip("203.0.113.10"));
        assertThat(dns.calls.get()).as("resolved once per check").isEqualTo(3);
    }

    @Test
    void oneRefusedAddressAmongPublicOnesRefusesTheName() {
        var guard = new UrlGuard(false, new ScriptedDns().answer("203.0.113.10", "10.0.0.7"));
        assertThatThrownBy(() -> guard.check("http://hooks.example.com/"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.detail()).contains("10.0.0.7, a private address");
                });
    }

    @Test
    void allowingPrivateAddressesLetsThemThrough() throws Exception {
        var guard = new UrlGuard(true, new ScriptedDns().answer("127.0.0.1").answer("::1"));
        URI uri = guard.check("http://localhost:8081/hooks");
        assertThat(guard.resolve(uri)).isEqualTo(ip("::1"));
    }

    @Test
    void addressesAreClassified() {
        for (String publicIp : List.of("8.8.8.8", "1.1.1.1", "203.0.113.10", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                "2a00:1450:4001::200e")) {
            assertThat(UrlGuard.refusedKind(ip(publicIp))).as(publicIp).isNull();
        }
        assertThat(UrlGuard.refusedKind(ip("127.0.0.2"))).isEqualTo("loopback");
        assertThat(UrlGuard.refusedKind(ip("::1"))).isEqualTo("loopback");
        assertThat(UrlGuard.refusedKind(ip("0.0.0.0"))).isEqualTo("unspecified");
        assertThat(UrlGuard.refusedKind(ip("::"))).isEqualTo("unspecified");
        assertThat(UrlGuard.refusedKind(ip("169.254.169.254"))).isEqualTo("link-local");
        assertThat(UrlGuard.refusedKind(ip("fe80::1"))).isEqualTo("link-local");
        assertThat(UrlGuard.refusedKind(ip("10.0.0.1"))).isEqualTo("private");
        assertThat(UrlGuard.refusedKind(ip("172.16.5.4"))).isEqualTo("private");
        assertThat(UrlGuard.refusedKind(ip("192.168.0.1"))).isEqualTo("private");
        assertThat(UrlGuard.refusedKind(ip("fd12:3456::1"))).isEqualTo("private (unique local)");
        assertThat(UrlGuard.refusedKind(ip("239.1.2.3"))).isEqualTo("multicast");
        assertThat(UrlGuard.refusedKind(ip("ff05::2"))).isEqualTo("multicast");
        assertThat(UrlGuard.refusedKind(ip("64:ff9b::7f00:1"))).as("NAT64 of 127.0.0.1").isEqualTo("loopback");
        assertThat(UrlGuard.refusedKind(ip("2002:a9fe:a9fe::"))).as("6to4 of 169.254.169.254").isEqualTo("link-local");
        assertThat(UrlGuard.refusedKind(ip("::10.0.0.1"))).as("IPv4-compatible").isEqualTo("private");
    }

    @Test
    void onlyAbsoluteHttpUrlsWithAHostAndNoCredentials() {
        for (String bad : List.of("", "ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "//example.com/x",
                "http:///nohost", "http://user@example.com/", "http://example.com/#frag", "http://exa mple.com/",
                "http://bücher.example/", "http://example.com:0/")) {
            assertThatThrownBy(() -> UrlGuard.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("url"));
        }
        assertThat(UrlGuard.parse("HTTPS://Hooks.Example.com:8443/in?x=1").getPort()).isEqualTo(8443);
    }
}
