package io.chathub.hub;

import io.chathub.web.ApiException;
import io.chathub.web.Json;
import io.chathub.web.Problems;
import io.javalin.http.HttpStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

/**
 * Refuses a WebSocket upgrade with the same problem+json response the REST API gives ({@link Problems}): the
 * upgrade is answered by {@link HubUpgradeFilter} ahead of Javalin, so it writes the response itself.
 */
final class UpgradeRejection {
    private UpgradeRejection() {}

    static void reject(HttpServletRequest req, HttpServletResponse res, ApiException e) throws IOException {
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "about:blank");
        body.put("title", HttpStatus.forStatus(e.status()).getMessage());
        body.put("status", e.status());
        body.put("detail", e.detail());
        body.put("instance", req.getRequestURI());
        if (e.field() != null) body.put("field", e.field());
        body.putAll(e.extensions());
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);

        res.setStatus(e.status());
        if (e.status() == 401) res.setHeader("WWW-Authenticate", "Bearer");
        res.setContentType(Problems.CONTENT_TYPE);
        res.setContentLength(bytes.length);
        res.getOutputStream().write(bytes);
        res.flushBuffer();
    }
}
