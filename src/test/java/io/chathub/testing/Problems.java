package io.chathub.testing;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on RFC 9457 problem responses. */
public final class Problems {
    private Problems() {}

    /** Asserts an {@code application/problem+json} answer with this status; returns the problem. */
    public static JsonNode assertProblem(Api.Response r, int status) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.contentType()).as("content type of %s", r).startsWith("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.path("status").asInt()).as("problem status of %s", r).isEqualTo(status);
        assertThat(p.path("type").asText()).as("problem type of %s", r).isNotEmpty();
        assertThat(p.path("title").asText()).as("problem title of %s", r).isNotEmpty();
        assertThat(p.path("detail").asText()).as("problem detail of %s", r).isNotBlank();
        assertThat(p.path("instance").asText()).as("problem instance of %s", r).startsWith("/");
        return p;
    }

    /** A 400 that names the field at fault. */
    public static JsonNode assertBadRequest(Api.Response r, String field) {
        JsonNode p = assertProblem(r, 400);
        assertThat(p.path("field").asText()).as("field named by %s", r).isEqualTo(field);
        return p;
    }

    /** A 401 with the wire-compatible detail ("Invalid token" or "token expired") and a reason. */
    public static JsonNode assertUnauthorized(Api.Response r, String detail) {
        JsonNode p = assertProblem(r, 401);
        assertThat(p.path("detail").asText()).as("detail of %s", r).isEqualTo(detail);
        assertThat(p.path("reason").asText()).as("reason of %s", r).isNotEmpty();
        assertThat(r.header("WWW-Authenticate")).as("WWW-Authenticate of %s", r).hasValue("Bearer");
        return p;
    }

    public static JsonNode assertInvalidToken(Api.Response r) {
        return assertUnauthorized(r, "Invalid token");
    }

    public static JsonNode assertForbidden(Api.Response r) {
        return assertProblem(r, 403);
    }

    public static JsonNode assertNotFound(Api.Response r) {
        return assertProblem(r, 404);
    }
}
