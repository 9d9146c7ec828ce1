package io.chathub.widget;

import io.chathub.ChatHub;
import io.chathub.config.Config;
import io.chathub.testing.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The customer chat widget in a real browser, on each database: runs the Playwright suite
 * {@code widgets/test/chat-widget.test.mjs} (Debian's Chromium through playwright-core) against a real server in
 * development mode with the demo company, and a second one with small widget limits (2 messages per visitor a
 * minute, 300 characters, visitor tokens of 15 s) for the 429 and 413 answers and the token's renewal. The suite puts the customer's pages on one origin and the
 * operator panel on another and covers the conversation both ways, tabs (one hub connection, leader handover),
 * reloads, network loss, the pre-chat and offline forms, rating and transcript, identity verification, refused
 * origins, XSS, limits, the page API, embedding forms, SPA mounting, languages, themes, phones and isolation, with
 * axe-core in every state it visits; it prints the time from the script tag to the launcher, from a click to the
 * open chat, and the host page's long tasks.
 *
 * <p>Needs what {@link BrowserSuite} needs. {@code CHATHUB_SCREENSHOTS=docs/img} also writes the README's
 * screenshots (in the SQLite run).
 */
class ChatWidgetBrowserTest {
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"sqlite", "postgres"})
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void customerChatWidgetInChromium(String database) throws Exception {
        BrowserSuite.chromium();
        // every page of the suite comes from 127.0.0.1: the per-address limits are out of the way on the first server
        var unlimited = new Config.Rate(1_000_000, Duration.ofHours(1));
        var defaults = Config.builder().build().widget();
        var open = defaults.withSessionsPerIp(unlimited).withChatsPerIp(unlimited).withMessagesPerVisitor(unlimited);
        var limited = new Config.WidgetSettings(unlimited, unlimited, new Config.Rate(2, Duration.ofMinutes(1)), 300,
                Duration.ofSeconds(15));
        try (var db = TestDatabases.create(database); var limitedDb = TestDatabases.sqlite();
             ChatHub server = ChatHub.start(db.config().dev(true).demo(true).widget(open).build());
             ChatHub small = ChatHub.start(limitedDb.config().dev(true).demo(true).widget(limited).build())) {
            Map<String, String> env = new HashMap<>();
            env.put("CHATHUB_URL", "http://127.0.0.1:" + server.port());
            env.put("CHATHUB_LIMITED_URL", "http://127.0.0.1:" + small.port());
            if (!database.equals("sqlite")) env.put("CHATHUB_SCREENSHOTS", null); // once is enough
            BrowserSuite.run("chat-widget.test.mjs", env, "chat-widget-browser-tests-" + database + ".log", 11);
        }
    }
}
