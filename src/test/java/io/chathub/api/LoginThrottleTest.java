package io.chathub.api;

import io.chathub.config.Config;
import io.chathub.testing.Api;
import io.chathub.testing.TestClock;
import io.chathub.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import static io.chathub.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed logins are limited per (login, client IP) (3 here) and per client IP (5 here) within a window; from 4
 * failures of one login (from any addresses) the addresses that failed wait growing delays, while an address that
 * has not failed still gets through. The limits are server-wide state, so each test uses its own logins and its
 * own client addresses in 127/8 (the server sees the TCP peer's address; X-Forwarded-For is not trusted).
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class LoginThrottleTest {
    static final int PER_LOGIN = 3; // per (login, IP)
    static final int PER_IP = 5;
    static final int DELAY_AFTER = 4;
    static final Duration WINDOW = Duration.ofMinutes(15);
    /** The server's clock stands still unless a test moves it: delays and windows are exact. */
    static final TestClock clock = TestClock.frozen();
    static final AtomicInteger ADDRESSES = new AtomicInteger(10);
    static TestServer server;

    @Parameter
    String database;

    @BeforeParameterizedClassInvocation
    static void startServer(String database) {
        server = TestServer.start(database, b -> b.login(new Config.LoginSettings(PER_LOGIN, PER_IP, WINDOW, DELAY_AFTER,
                Duration.ofMinutes(5))), clock);
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
    }

    /** This test's client: its own source address, so that the per-IP count starts at zero. */
    private Api client;

    @BeforeEach
    void ownClientAddress() {
        client = clientFrom(server);
    }

    private static Api clientFrom(TestServer server) {
        int n = ADDRESSES.incrementAndGet();
        try {
            return server.api().from(InetAddress.getByAddress(new byte[] {127, 0, (byte) (n / 250), (byte) (n % 250 + 2)}));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Api.Response login(Api client, String login, String password) {
        return client.post("/api/company/get-token").json(Map.of("login", login, "password", password)).send();
    }

    private Api.Response login(String login, String password) {
        return login(client, login, password);
    }

    private static String newCompany(TestServer server) {
        String login = TestServer.uniqueLogin();
        server.createCompany(login);
        return login;
    }

    private static long retryAfter(Api.Response r) {
        var p = assertProblem(r, 429);
        String header = r.header("Retry-After").orElseThrow(() -> new AssertionError("no Retry-After on " + r));
        assertThat(header).matches("\\d+");
        assertThat(p.get("retryAfter").asLong()).isEqualTo(Long.parseLong(header));
        return Long.parseLong(header);
    }

    @Test
    void tooManyFailuresOfALoginFromOneAddressAre429WithRetryAfterEvenWithTheRightPassword() {
        String login = newCompany(server);

        for (int i = 0; i < PER_LOGIN; i++) assertProblem(login(login, "wrong password " + i), 401);

        long wait = retryAfter(login(login, TestServer.PASSWORD));
        assertThat(wait).isBetween(WINDOW.toSeconds() - 60, WINDOW.toSeconds());
        retryAfter(login(login.toUpperCase(), TestServer.PASSWORD));
    }

    @Test
    void theOwnerFromACleanAddressLogsInWhileAnAttackerIsThrottled() {
        String login = newCompany(server);
        Api attacker = clientFrom(server);

        for (int i = 0; i < PER_LOGIN; i++) assertProblem(login(attacker, login, "guess " + i), 401);
        retryAfter(login(attacker, login, "guess " + PER_LOGIN));

        assertThat(login(login, TestServer.PASSWORD).status()).as("the owner").isEqualTo(200);
        retryAfter(login(attacker, login, TestServer.PASSWORD));
    }

    @Test
    void aDistributedAttackGetsGrowingDelaysForTheAddressesThatFailedButNotForTheOwner() {
        String login = newCompany(server);
        List<Api> attackers = new ArrayList<>();
        for (int i = 0; i < DELAY_AFTER; i++) {
            attackers.add(clientFrom(server));
            assertProblem(login(attackers.getLast(), login, "guess " + i), 401);
        }

        List<Long> delays = new ArrayList<>();
        delays.add(retryAfter(login(attackers.getFirst(), login, "again")));
        for (int i = 0; i < 3; i++) {
            // each new address gets its guess checked, and each failure doubles the delay of those that failed
            assertProblem(login(clientFrom(server), login, "fresh guess " + i), 401);
            delays.add(retryAfter(login(attackers.get(i % attackers.size()), login, TestServer.PASSWORD)));
        }

        assertThat(delays).as("Retry-After grows").containsExactly(1L, 2L, 4L, 8L);
        assertThat(login(login, TestServer.PASSWORD).status()).as("the owner, from an address that has not failed").isEqualTo(200);
    }

    @Test
    void whenTheDelayIsOverAFailedAddressGetsOneMoreGuessAndTheNextDelayIsLonger() {
        String login = newCompany(server);
        Api attacker = clientFrom(server);
        assertProblem(login(attacker, login, "first"), 401);
        for (int i = 1; i < DELAY_AFTER; i++) assertProblem(login(clientFrom(server), login, "guess " + i), 401);
        assertThat(retryAfter(login(attacker, login, "too soon"))).isEqualTo(1);

        clock.advance(Duration.ofMillis(1_001));
        assertProblem(login(attacker, login, "second"), 401);

        assertThat(retryAfter(login(attacker, login, "too soon"))).isEqualTo(2);
        clock.advance(Duration.ofMillis(2_001));
        assertThat(login(attacker, login, TestServer.PASSWORD).status()).as("right password once the delay is over").isEqualTo(200);
    }

    @Test
    void theLoginLimitLeavesOtherLoginsAlone() {
        String attacked = newCompany(server);
        String other = newCompany(server);

        for (int i = 0; i < PER_LOGIN; i++) login(attacked, "guess " + i);

        retryAfter(login(attacked, TestServer.PASSWORD));
        assertThat(login(other, TestServer.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void aSuccessfulLoginResetsItsFailures() {
        String login = newCompany(server);

        for (int i = 0; i < PER_LOGIN - 1; i++) login(login, "typo " + i);
        assertThat(login(login, TestServer.PASSWORD).status()).isEqualTo(200);
        for (int i = 0; i < PER_LOGIN - 1; i++) login(login, "typo again " + i);

        assertThat(login(login, TestServer.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void tooManyFailuresFromOneIpAre429ForEveryLogin() {
        String real = newCompany(server);

        for (int i = 0; i < PER_IP; i++) assertProblem(login("unknown-" + TestServer.uniqueLogin(), "guess"), 401);

        retryAfter(login(real, TestServer.PASSWORD));
        retryAfter(login("yet-another-" + TestServer.uniqueLogin(), "guess"));
    }

    @Test
    void theIpLimitLeavesOtherAddressesAlone() {
        String real = newCompany(server);

        for (int i = 0; i < PER_IP; i++) login("unknown-" + TestServer.uniqueLogin(), "guess");

        retryAfter(login(real, TestServer.PASSWORD));
        assertThat(login(clientFrom(server), real, TestServer.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void forwardedForHeadersDoNotEscapeTheIpLimit() {
        String real = newCompany(server);

        for (int i = 0; i < PER_IP; i++) {
            client.post("/api/company/get-token").header("X-Forwarded-For", "203.0.113." + i).header("X-Real-IP", "203.0.113." + i)
                    .json(Map.of("login", "nobody-" + TestServer.uniqueLogin(), "password", "guess")).send();
        }

        retryAfter(client.post("/api/company/get-token").header("X-Forwarded-For", "198.51.100.7")
                .json(Map.of("login", real, "password", TestServer.PASSWORD)).send());
    }

    @Test
    void badRequestsDoNotCountAsFailures() {
        String login = newCompany(server);

        for (int i = 0; i < PER_IP + 1; i++) {
            assertProblem(client.post("/api/company/get-token").json(Map.of("login", login)).send(), 400);
        }

        assertThat(login(login, TestServer.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void concurrentGuessesCannotGetPastTheLoginLimit() throws Exception {
        String login = newCompany(server);
        int attempts = 12;

        List<Api.Response> answers = concurrently(attempts, i -> login(login, "parallel guess " + i));

        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(Api.Response::status, Collectors.counting()));
        assertThat(byStatus.keySet()).as("statuses %s", byStatus).containsOnly(401, 429);
        assertThat(byStatus.getOrDefault(401, 0L)).as("passwords checked, %s", byStatus).isLessThanOrEqualTo(PER_LOGIN);
        retryAfter(login(login, TestServer.PASSWORD));
    }

    @Test
    void concurrentGuessesCannotGetPastTheIpLimit() throws Exception {
        String real = newCompany(server);

        List<Api.Response> answers = concurrently(PER_IP * 2, i -> login("unknown-" + TestServer.uniqueLogin(), "guess"));

        long checked = answers.stream().filter(r -> r.status() == 401).count();
        assertThat(checked).as("passwords checked").isLessThanOrEqualTo(PER_IP);
        retryAfter(login(real, TestServer.PASSWORD));
    }

    @Test
    void aBurstOfCorrectLoginsIsToldToRetryInASecondNotAfterTheWindow() throws Exception {
        String login = newCompany(server);

        List<Api.Response> answers = concurrently(PER_LOGIN * 3, i -> login(login, TestServer.PASSWORD));

        for (Api.Response r : answers) {
            if (r.status() == 429) assertThat(retryAfter(r)).isEqualTo(1);
            else assertThat(r.status()).as(r.toString()).isEqualTo(200);
        }
        assertThat(login(login, TestServer.PASSWORD).status()).isEqualTo(200);
    }

    /** Sends {@code n} requests at once (each on its own virtual thread) and waits for all answers. */
    private static List<Api.Response> concurrently(int n, IntFunction<Api.Response> request) throws Exception {
        var start = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    start.await();
                    return request.apply(index);
                }));
            }
            start.countDown();
            List<Api.Response> answers = new ArrayList<>();
            for (var f : futures) answers.add(f.get(60, TimeUnit.SECONDS));
            return answers;
        }
    }

    @Test
    void theLimitLiftsWhenTheWindowHasPassed() {
        String login = newCompany(server);
        for (int i = 0; i < PER_LOGIN; i++) login(login, "guess " + i);
        long wait = retryAfter(login(login, TestServer.PASSWORD));

        clock.advance(Duration.ofSeconds(wait));

        assertThat(login(login, TestServer.PASSWORD).status()).isEqualTo(200);
    }
}
