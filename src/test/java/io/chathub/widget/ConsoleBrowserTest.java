package io.chathub.widget;

import io.chathub.ChatHub;
import io.chathub.testing.TestDatabases;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The company web console at {@code /console/} in a real browser, on each database: runs the Playwright suite
 * {@code widgets/test/console.test.mjs} (Debian's Chromium through playwright-core) against a real server that is
 * not in development mode (so no loopback page is let in by the origin rules: the console is same-origin, a page of
 * the server itself) with the demo company. The suite covers serving (the shell for client routes, its CSP,
 * immutable assets, the 60 KB first-load budget), the console session (no request on a fresh visit, a wrong password,
 * the HttpOnly cookie, CSRF, reload, sign-out on the server), organizations (every setting with the API's inline
 * errors, the copied snippet, the live preview, the identity secret, guid rotation, deleting), operators (creating,
 * editing, Open panel, deactivating; an operator's console sign-in, the operator's own full-page panel and the renewal
 * of its token), chats (filters, a transcript, private notes, assigning, deleting), reports (a seeded summary shown
 * exactly, the SVG chart, CSV downloads), canned responses (409 inline), people and the audit log, the own password,
 * the viewer role (no controls; the server's 403 shown), clients (export, erasure), languages, dark and a 360 px phone,
 * with axe-core in every state it visits.
 *
 * <p>Needs what {@link BrowserSuite} needs. {@code CHATHUB_SCREENSHOTS=docs/img} also writes the README's
 * {@code console-*.png} (in the SQLite run).
 */
class ConsoleBrowserTest {
    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"sqlite", "postgres"})
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void companyConsoleInChromium(String database) throws Exception {
        BrowserSuite.chromium();
        try (var db = TestDatabases.create(database);
             ChatHub server = ChatHub.start(db.config().dev(false).demo(true).build())) {
            Map<String, String> env = new HashMap<>();
            env.put("CHATHUB_URL", "http://127.0.0.1:" + server.port());
            if (!database.equals("sqlite")) env.put("CHATHUB_SCREENSHOTS", null); // once is enough
            BrowserSuite.run("console.test.mjs", env, "console-browser-tests-" + database + ".log", 7);
        }
    }
}
