package io.chathub.ops;

import io.chathub.db.Database;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Health, readiness, Prometheus metrics and the OpenAPI document. */
public final class OpsRoutes {
    public static final String OPENAPI_RESOURCE = "/openapi.json";

    private final Database db;
    private final PrometheusMeterRegistry metrics;
    private final byte[] openapi;
    private final String nodeId;
    private volatile boolean stopping;

    /** {@code nodeId}: this node's id (CHATHUB_NODE_ID), in readiness and as the {@code chathub_node} metric. */
    public OpsRoutes(Database db, PrometheusMeterRegistry metrics, String nodeId) {
        this.db = db;
        this.metrics = metrics;
        this.nodeId = nodeId;
        io.micrometer.core.instrument.Gauge.builder("chathub.node", () -> 1)
                .description("This node; its id in the label node (CHATHUB_NODE_ID)").tag("node", nodeId).register(metrics);
        this.openapi = load(OPENAPI_RESOURCE);
    }

    public void register(RoutesConfig routes) {
        routes.get("/health/live", ctx -> ctx.json(Map.of("status", "UP")));
        routes.get("/health/ready", this::ready);
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openapi));
    }

    /** Once shutdown begins, readiness fails so that load balancers stop sending new requests. */
    public void stopping() {
        stopping = true;
    }

    private void ready(Context ctx) {
        boolean dbUp = db.isReady();
        boolean up = dbUp && !stopping;
        ctx.status(up ? 200 : 503).json(Map.of(
                "status", up ? "UP" : "DOWN",
                "database", dbUp ? "UP" : "DOWN",
                "databaseKind", db.kind().name().toLowerCase(),
                "node", nodeId));
    }

    static byte[] load(String resource) {
        try (InputStream in = OpsRoutes.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
