package io.chathub.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.chathub.web.Json;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;

/** Makes tokens the server did not issue: signed with some secret, unsigned, or altered after signing. */
public final class Jwt {
    public static final String OTHER_SECRET = "a-different-secret-that-the-server-never-saw!";

    private Jwt() {}

    /** Claims shaped like a ChatHub company token. */
    public static JWTClaimsSet.Builder companyClaims(long companyId, Instant issuedAt, Instant expiresAt) {
        return new JWTClaimsSet.Builder()
                .issuer("chathub")
                .subject(Long.toString(companyId))
                .claim("kind", "company")
                .claim("cid", companyId)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt));
    }

    public static String sign(String secret, JWSAlgorithm algorithm, JWTClaimsSet claims) {
        var jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    public static String sign(String secret, JWTClaimsSet claims) {
        return sign(secret, JWSAlgorithm.HS256, claims);
    }

    /** The token's payload with {@code alg: none} and an empty signature. */
    public static String unsigned(String token) {
        String header = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        return header + "." + token.split("\\.")[1] + ".";
    }

    /** The token with its payload changed and its original signature kept. */
    public static String tamper(String token, Consumer<ObjectNode> change) {
        String[] parts = token.split("\\.");
        ObjectNode payload = (ObjectNode) payload(token);
        change.accept(payload);
        return parts[0] + "." + encode(Json.write(payload)) + "." + parts[2];
    }

    public static JsonNode payload(String token) {
        try {
            return Json.read(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("not a JWT: " + token, e);
        }
    }

    public static JsonNode header(String token) {
        try {
            return Json.read(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("not a JWT: " + token, e);
        }
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
