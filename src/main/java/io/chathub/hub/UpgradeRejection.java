package io.chathub.hub;

import io.chathub.web.ApiException;
import io.chathub.web.Json;
import io.chathub.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a WebSocket upgrade with the same problem+json response the REST API gives ({@link Problems}): the
 * upgrade is answered by {@link HubUpgradeFilter} ahead of Javalin, so it writes the response itself.
 */
final class UpgradeRejection {
    private UpgradeRejection() {}

    static void reject(HttpServletRequest req, HttpServletResponse res, ApiException e) throws IOException {
        var body = Problems.body(e.status(), e.detail(), req.getRequestURI(), e.field(), e.extensions());
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);

        res.setStatus(e.status());
        if (e.status() == 401) res.setHeader("WWW-Authenticate", "Bearer");
        res.setContentType(Problems.CONTENT_TYPE);
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
        res.flushBuffer();
    }
}
