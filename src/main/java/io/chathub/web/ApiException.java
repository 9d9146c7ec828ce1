package io.chathub.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one error type of ChatHub. Services throw it; {@link Problems} turns it into an RFC 9457
 * problem-details response in one place.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String field;
    private final Map<String, Object> extensions;

    private ApiException(int status, String detail, String field, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.field = field;
        this.extensions = extensions;
    }

    public static ApiException badRequest(String field, String detail) {
        return new ApiException(400, detail, field, Map.of());
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, detail, null, Map.of());
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, detail, null, Map.of());
    }

    /** 401 with a machine-readable reason beside the wire-compatible detail ("Invalid token"). */
    public static ApiException unauthorized(String detail, String reason) {
        return new ApiException(401, detail, null, Map.of("reason", reason));
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, detail, null, Map.of());
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, detail, null, Map.of());
    }

    public static ApiException conflict(String field, String detail) {
        return new ApiException(409, detail, field, Map.of());
    }

    public static ApiException payloadTooLarge(String detail) {
        return new ApiException(413, detail, null, Map.of());
    }

    public static ApiException serviceUnavailable(String detail) {
        return new ApiException(503, detail, null, Map.of());
    }

    public static ApiException tooManyRequests(long retryAfterSeconds) {
        var ext = new LinkedHashMap<String, Object>();
        ext.put("retryAfter", retryAfterSeconds);
        return new ApiException(429, "Too many attempts; retry after " + retryAfterSeconds + " s", null, ext);
    }

    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        var ext = new LinkedHashMap<String, Object>();
        ext.put("retryAfter", retryAfterSeconds);
        return new ApiException(429, detail, null, ext);
    }

    /** 502: a service this call depends on (a messenger's API) could not be reached or failed. */
    public static ApiException badGateway(String detail) {
        return new ApiException(502, detail, null, Map.of());
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
