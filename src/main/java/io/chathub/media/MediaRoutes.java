package io.chathub.media;

import io.chathub.auth.Authenticator;
import io.chathub.auth.Principal;
import io.chathub.chat.ChatStore;
import io.chathub.web.ApiException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * {@code GET /api/media/{hash}}: a message's file, for a token that may see a chat holding it. The
 * token may also come as {@code access_token} query parameter, so that an {@code <img src>} works.
 */
public final class MediaRoutes {
    private final MediaService media;
    private final ChatStore chats;
    private final Authenticator auth;

    public MediaRoutes(MediaService media, ChatStore chats, Authenticator auth) {
        this.media = media;
        this.chats = chats;
        this.auth = auth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/media/{hash}", this::get);
    }

    private void get(Context ctx) {
        Principal p = auth.requireAnyAllowingQueryToken(ctx);
        String hash = ctx.pathParam("hash");
        String uri = MediaService.URI_PREFIX + hash;
        var file = media.find(hash).filter(f -> switch (p) {
                    case Principal.Visitor v -> chats.mediaVisibleToClient(uri, v.clientId());
                    case Principal.Operator op -> chats.mediaVisibleTo(uri, op.companyId(), op.organizationId());
                    case Principal.Company c -> chats.mediaVisibleTo(uri, c.companyId(), null);
                })
                .orElseThrow(() -> ApiException.notFound("No such media"));
        boolean inline = file.contentType().startsWith("image/") || file.contentType().startsWith("audio/")
                || file.contentType().startsWith("video/");
        ctx.contentType(file.contentType())
                .header("Content-Disposition", inline ? "inline" : "attachment")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox; default-src 'none'")
                .header("Cache-Control", "private, max-age=31536000, immutable");
        try {
            ctx.result(Files.newInputStream(file.path()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
