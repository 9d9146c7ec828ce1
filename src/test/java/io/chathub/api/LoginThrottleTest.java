package io.chathub.api;

import io.chathub.testing.Api;
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
import java.time.Instant;
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
 * Failed logins are limited per login (3 here) and per client IP (5 here) within a window. The limits
 * are server-wide state, so each test uses its own logins and its own client address in 127/8.
 */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class LoginThrottleTest {
    static final int PER_LOGIN = 3;
    static final int PER_IP = 5;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final AtomicInteger ADDRESSES = new AtomicInteger(10);
    static TestServer server;

    @Parameter
    String database;

    @BeforeParameterizedClassInvocation
    static void startServer(String database) {
        server = TestServer.start(database, b -> b.loginMaxFailuresPerLogin(PER_LOGIN).loginMaxFailuresPerIp(PER_IP).loginWindow(WINDOW));
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
    void tooManyFailuresForALoginAre429WithRetryAfterEvenWithTheRightPassword() {
        String login = newCompany(server);

        for (int i = 0; i < PER_LOGIN; i++) assertProblem(login(login, "wrong password " + i), 401);

        long wait = retryAfter(login(login, TestServer.PASSWORD));
        assertThat(wait).isBetween(WINDOW.toSeconds() - 60, WINDOW.toSeconds());
        retryAfter(login(login.toUpperCase(), TestServer.PASSWORD));
    }

    @Test
    void theLoginLimitHoldsAcrossClientAddresses() {
        String login = newCompany(server);

        for (int i = 0; i < PER_LOGIN; i++) login(clientFrom(server), login, "guess " + i);

        retryAfter(login(clientFrom(server), login, TestServer.PASSWORD));
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

        List<Api.Response> answers = concurrently(attempts, i -> login(clientFrom(server), login, "parallel guess " + i));

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

        List<Api.Response> answers = concurrently(PER_LOGIN * 3, i -> login(clientFrom(server), login, TestServer.PASSWORD));

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
    void theLimitLiftsWhenTheWindowHasPassed() throws InterruptedException {
        try (TestServer shortWindow = TestServer.start(database, b -> b.loginMaxFailuresPerLogin(2).loginWindow(Duration.ofSeconds(2)))) {
            Api api = clientFrom(shortWindow);
            String login = newCompany(shortWindow);
            login(api, login, "guess 1");
            login(api, login, "guess 2");
            long wait = retryAfter(login(api, login, TestServer.PASSWORD));
            assertThat(wait).isBetween(1L, 2L);

            Instant until = Instant.now().plusSeconds(wait).plusMillis(100);
            while (Instant.now().isBefore(until)) Thread.sleep(50);

            assertThat(login(api, login, TestServer.PASSWORD).status()).isEqualTo(200);
        }
    }
}
