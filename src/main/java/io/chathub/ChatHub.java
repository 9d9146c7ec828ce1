package io.chathub;

import io.chathub.audit.AuditLog;
import io.chathub.audit.AuditRoutes;
import io.chathub.audit.JdbiAuditStore;
import io.chathub.auth.Authenticator;
import io.chathub.canned.CannedRoutes;
import io.chathub.canned.CannedService;
import io.chathub.canned.JdbiCannedStore;
import io.chathub.auth.JdbiTokenStore;
import io.chathub.auth.Jwts;
import io.chathub.auth.LoginThrottle;
import io.chathub.auth.SecretBox;
import io.chathub.auth.Secrets;
import io.chathub.auth.TokenStore;
import io.chathub.channel.ChannelRoutes;
import io.chathub.channel.ChannelService;
import io.chathub.channel.CredentialBox;
import io.chathub.channel.JdbiChannelStore;
import io.chathub.channel.MessengerHttp;
import io.chathub.channel.telegram.TelegramMessenger;
import io.chathub.channel.viber.ViberMessenger;
import io.chathub.channel.whatsapp.WhatsAppMessenger;
import io.chathub.chat.ChatRealtime;
import io.chathub.chat.ChatRoutes;
import io.chathub.chat.ChatService;
import io.chathub.chat.JdbiChatStore;
import io.chathub.chat.JdbiPresenceStore;
import io.chathub.chat.JdbiRoutingStore;
import io.chathub.chat.MessageWriter;
import io.chathub.chat.Presence;
import io.chathub.chat.Router;
import io.chathub.company.CompanyRoutes;
import io.chathub.company.CompanyService;
import io.chathub.company.JdbiCompanyStore;
import io.chathub.config.Config;
import io.chathub.console.ConsoleRoutes;
import io.chathub.console.ConsoleService;
import io.chathub.console.JdbiConsoleStore;
import io.chathub.console.PeopleService;
import io.chathub.db.Database;
import io.chathub.demo.DemoData;
import io.chathub.hub.Hub;
import io.chathub.hub.OriginPolicy;
import io.chathub.events.ControlEvents;
import io.chathub.events.EventBus;
import io.chathub.events.EventPublisher;
import io.chathub.events.NatsEventBus;
import io.chathub.events.LocalEventBus;
import io.chathub.media.MediaRoutes;
import io.chathub.media.MediaService;
import io.chathub.operator.JdbiOperatorStore;
import io.chathub.operator.OperatorRoutes;
import io.chathub.operator.OperatorService;
import io.chathub.ops.OpsRoutes;
import io.chathub.ops.RequestMetrics;
import io.chathub.organization.JdbiOrganizationStore;
import io.chathub.organization.OrganizationRoutes;
import io.chathub.organization.OrganizationService;
import io.chathub.visitor.JdbiVisitorStore;
import io.chathub.visitor.VisitorRoutes;
import io.chathub.visitor.VisitorService;
import io.chathub.web.Cors;
import io.chathub.web.EmptyResponses;
import io.chathub.web.Json;
import io.chathub.web.OriginRules;
import io.chathub.web.Problems;
import io.chathub.web.RequestContext;
import io.chathub.web.RequestLimits;
import io.chathub.webhook.Webhooks;
import io.chathub.widget.WidgetAssets;
import io.chathub.widget.ConsoleShellRoutes;
import io.chathub.report.JdbiReportStore;
import io.chathub.report.ReportService;
import io.chathub.report.ReportRoutes;
import io.chathub.client.JdbiClientStore;
import io.chathub.client.ClientService;
import io.chathub.client.ClientRoutes;
import io.chathub.widget.WidgetRoutes;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running ChatHub server: the database, the services and the HTTP server wired together.
 * {@link #start} opens everything; {@link #close} shuts it down gracefully (in-flight requests finish).
 */
public final class ChatHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatHub.class);
    /** On shutdown: how long hub clients have to answer their Close (at most a quarter of the grace). */
    private static final long HUB_DRAIN_WAIT_MILLIS = 1_000;
    /**
     * On shutdown: the part of the grace (at most a fifth of it) kept for what comes after the HTTP server: the
     * message writer, the event bus, the pools, and the JVM's own exit (about 0.3 s: HotSpot waits that long for
     * threads in native code, such as the virtual-thread poller).
     */
    private static final long RESERVE_AFTER_HTTP_MILLIS = 1_000;
    /**
     * On shutdown: a connection idle this long is closed (keep-alive ones, and those whose client does not close
     * after {@code Connection: close}). A request being handled is not cut by it, only one whose client stalls.
     */
    private static final long SHUTDOWN_IDLE_TIMEOUT_MILLIS = 250;

    /** A route the server answers; the OpenAPI test checks the document against these. */
    public record Route(String method, String path) {}

    private final Config config;
    private final Database db;
    private final Javalin javalin;
    private final OpsRoutes ops;
    private final Hub hub;
    private final ChatService chats;
    private final Presence presence;
    private final ScheduledExecutorService housekeeping;
    private final List<Route> routes;
    private final List<AutoCloseable> components;

    private ChatHub(Config config, Database db, Javalin javalin, OpsRoutes ops, Hub hub, ChatService chats, Presence presence,
                    ScheduledExecutorService housekeeping, List<Route> routes, List<AutoCloseable> components) {
        this.components = components;
        this.presence = presence;
        this.hub = hub;
        this.chats = chats;
        this.config = config;
        this.db = db;
        this.javalin = javalin;
        this.ops = ops;
        this.housekeeping = housekeeping;
        this.routes = routes;
    }

    public static ChatHub start(Config config) {
        return start(config, Clock.systemUTC());
    }

    /** A server on another clock: tests move time forward (token expiry, the login throttle's window). */
    public static ChatHub start(Config config, Clock clock) {
        logAsNode(Secrets.nodeId(config));
        var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        bindJvmMetrics(metrics);
        Database db = Database.open(config, metrics);
        try {
            return wire(config, clock, metrics, db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static ChatHub wire(Config config, Clock clock, PrometheusMeterRegistry metrics, Database db) {
        var jwts = new Jwts(Secrets.jwtSecret(config), clock);
        TokenStore tokenStore = new JdbiTokenStore(db);
        var auth = new Authenticator(jwts, tokenStore, config.dev(), clock);
        var throttle = new LoginThrottle(config.login(), clock);

        var companies = new CompanyService(new JdbiCompanyStore(db), jwts, throttle, config.companyTokenTtl(), clock);
        var organizationStore = new JdbiOrganizationStore(db);
        var operatorStore = new JdbiOperatorStore(db);
        EventBus bus = config.natsUrl() == null ? new LocalEventBus()
                : new NatsEventBus(config.natsUrl(), config.natsSubjectPrefix());
        var events = new EventPublisher(db, bus);
        // first of the bus's subscribers: tokens' kept states go before the hub sweeps the connections concerned
        bus.subscribe(e -> {
            if (ControlEvents.refusesTokens(e.target())) auth.forgetTokenStates();
        });
        var audit = new AuditLog(new JdbiAuditStore(db), clock);
        var organizations = new OrganizationService(organizationStore, db, events, audit);
        var operators = new OperatorService(operatorStore, organizations, tokenStore, jwts, auth, db,
                config.operatorTokenMaxTtl(), clock, events, audit);
        var consoleStore = new JdbiConsoleStore(db);
        var consoleSessions = new ConsoleService(consoleStore, throttle, operators, audit, db, clock,
                config.channels().publicUrl());
        auth.sessions(consoleSessions);
        var people = new PeopleService(consoleStore, consoleSessions, operators, audit, db);
        var chatStore = new JdbiChatStore(db);
        var mediaService = new MediaService(config.dataDir().resolve("media"), config.mediaMaxBytes());
        var writer = new MessageWriter(db, metrics);
        String nodeId = Secrets.nodeId(config);
        log.info("node {}", nodeId);
        var presence = new Presence(new JdbiPresenceStore(db), nodeId, config.cluster().presenceLease()).start();
        var chats = new ChatService(chatStore, operatorStore, organizations, mediaService, writer, events, db);
        var router = new Router(db, chatStore, new JdbiRoutingStore(db), chats::routeTo)
                .sweepEvery(config.cluster().routingSweep());
        var visitors = new VisitorService(organizations, chats, chatStore, new JdbiVisitorStore(db), operatorStore, presence,
                jwts, db, clock, config.widget());
        chats.router(router);
        chats.audit(audit);
        var secrets = new SecretBox(Secrets.secretKey(config));
        var http = new MessengerHttp();
        var channelSettings = config.channels();
        var channels = new ChannelService(new JdbiChannelStore(db), List.of(
                new TelegramMessenger(channelSettings.telegramApiUrl(), http, config.mediaMaxBytes()),
                new ViberMessenger(channelSettings.viberApiUrl(), http, config.mediaMaxBytes()),
                new WhatsAppMessenger(channelSettings.whatsappApiUrl(), http, config.mediaMaxBytes())),
                new CredentialBox(secrets), organizations, chats, chatStore, mediaService, writer, db,
                channelSettings, nodeId, clock, metrics);
        chats.appendListener(channels.appendListener());
        organizations.beforeDelete(channels::organizationDeleted);
        var webhooks = Webhooks.start(config.webhooks(), db, events, bus, chatStore, secrets, clock);
        webhooks.audit(audit);
        channels.audit(audit);
        if (config.demo()) new DemoData(companies, organizationStore, operatorStore, db).seed();

        var ops = new OpsRoutes(db, metrics, nodeId);
        var requestMetrics = new RequestMetrics(metrics);
        List<Route> routes = Collections.synchronizedList(new ArrayList<>());
        var hub = new Hub(config.hub(), auth, clock, metrics);
        AutoCloseable realtime = ChatRealtime.bind(hub, chats, chatStore, bus, presence, router);
        writer.publishAround(hub::deferWrites); // a round of committed messages reaches each connection in one write
        var origins = new OriginRules(organizationStore, config.dev(), config.channels().publicUrl());
        hub.originPolicy(OriginPolicy.of(origins::allows, origins::isOwn));
        var widgetAssets = WidgetAssets.load();

        Javalin javalin;
        try {
            javalin = Javalin.create(cfg -> {
                configureServer(cfg, config);
                cfg.events.handlerAdded(h -> routes.add(new Route(h.getHttpMethod().name(), h.getPath())));
                cfg.requestLogger.http(requestMetrics::record);
                Problems.register(cfg);
                EmptyResponses.register(cfg);
                RequestContext.register(cfg.routes);
                new Cors(origins, auth).register(cfg.routes);
                var limits = new RequestLimits(config.maxRequestBytes(), config.mediaMaxBytes(), ChatHub::mayCarryMedia);
                cfg.routes.before("/api/*", limits::check);
                ops.register(cfg.routes);
                new CompanyRoutes(companies).register(cfg.routes);
                new OrganizationRoutes(organizations, auth).register(cfg.routes);
                new OperatorRoutes(operators, auth, presence::onlineAmong).register(cfg.routes);
                new ChatRoutes(chats, auth).register(cfg.routes);
                new VisitorRoutes(visitors, auth).register(cfg.routes);
                webhooks.register(cfg.routes, auth);
                new MediaRoutes(mediaService, chatStore, auth).register(cfg.routes);
                new ChannelRoutes(channels, auth).register(cfg.routes);
                new ConsoleRoutes(consoleSessions, people, auth).register(cfg.routes);
                new AuditRoutes(audit, auth).register(cfg.routes);
                new ClientRoutes(new ClientService(new JdbiClientStore(db),
                        chatStore, organizations, mediaService, audit, db, clock), auth).register(cfg.routes);
                new ReportRoutes(new ReportService(new JdbiReportStore(db),
                        organizations, clock), auth).register(cfg.routes);
                new CannedRoutes(new CannedService(new JdbiCannedStore(db), organizations, audit, db), auth).register(cfg.routes);
                hub.register(cfg);
                new WidgetRoutes(widgetAssets).register(cfg.routes);
                new ConsoleShellRoutes(widgetAssets).register(cfg.routes); // last: its shell answers any other /console/… path
            });
            javalin.start(config.host(), config.port());
        } catch (RuntimeException e) {
            hub.close();
            channels.close();
            router.close();
            presence.leave();
            writer.close();
            try {
                realtime.close();
            } catch (Exception ignored) {
                // only stops a timer
            }
            try {
                webhooks.close();
            } catch (Exception ignored) {
                // only stops the webhook sender
            }
            bus.close();
            throw e;
        }

        channels.start(); // delivers what the outbox holds, also what a previous run left
        ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
        housekeeping.scheduleWithFixedDelay(() -> {
            try {
                int n = tokenStore.deleteExpired(clock.instant().minus(Duration.ofDays(1)));
                if (n > 0) log.info("expired_operator_tokens_deleted={}", n);
                int sessions = consoleSessions.deleteExpired();
                if (sessions > 0) log.info("expired_console_sessions_deleted={}", sessions);
            } catch (RuntimeException e) {
                log.warn("token housekeeping failed: {}", e.toString());
            }
        }, 1, 60, TimeUnit.MINUTES);
        return new ChatHub(config, db, javalin, ops, hub, chats, presence, housekeeping, List.copyOf(routes),
                List.of(channels, router, presence, writer, webhooks, realtime, bus));
    }

    /**
     * Every log line names the node ({@code node=…}, logback.xml): a logger context property, so in a JVM that runs
     * several servers (tests) the lines name the last one started.
     */
    private static void logAsNode(String nodeId) {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.putProperty("chathub.node", nodeId);
        }
    }

    private static void configureServer(JavalinConfig cfg, Config config) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.concurrency.useVirtualThreads = true;
        cfg.http.maxRequestSize = RequestLimits.withMedia(config.maxRequestBytes(), config.mediaMaxBytes());
        cfg.http.defaultContentType = "application/json";
        cfg.http.prefer405over404 = true; // a known path with another method: 405 with Allow (Problems)
        cfg.jsonMapper(new JavalinJackson(Json.MAPPER, true));
        cfg.router.ignoreTrailingSlashes = true;
        cfg.jetty.modifyServer(server -> server.setStopTimeout(config.shutdownGrace().toMillis()));
        cfg.jetty.modifyHttpConfiguration(http -> {
            http.setSendServerVersion(false);
            http.setSendXPoweredBy(false);
        });
    }

    private static boolean mayCarryMedia(io.javalin.http.Context ctx) {
        String path = ctx.path();
        return path.equals("/api/chat/incoming") || (path.startsWith("/api/chat/") && path.endsWith("/message"))
                || (path.startsWith("/api/widget/") && path.endsWith("/messages"));
    }

    private static void bindJvmMetrics(PrometheusMeterRegistry metrics) {
        new ClassLoaderMetrics().bindTo(metrics);
        new JvmMemoryMetrics().bindTo(metrics);
        new JvmGcMetrics().bindTo(metrics);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);
        new UptimeMetrics().bindTo(metrics);
    }

    public int port() {
        return javalin.port();
    }

    public Config config() {
        return config;
    }

    public Database database() {
        return db;
    }

    public List<Route> routes() {
        return routes;
    }

    /** The real-time hub: register hub methods, send events, follow connections. */
    public Hub hub() {
        return hub;
    }

    /** Chats and messages, for embedding ChatHub in-process (bench/PersistLoad.java uses it). */
    public ChatService chats() {
        return chats;
    }

    /**
     * Graceful, within {@code CHATHUB_SHUTDOWN_GRACE} in all: readiness turns DOWN; hub clients are told to
     * reconnect (elsewhere), those that do not answer within a second are dropped; Jetty stops accepting and lets
     * requests finish until what is left of the grace, less a reserve for the rest; the message writer flushes
     * what is queued; then the event bus and the pools close. Each step is logged.
     */
    @Override
    public void close() {
        long started = System.nanoTime();
        long grace = config.shutdownGrace().toMillis();
        long deadline = started + grace * 1_000_000;
        log.info("draining: readiness DOWN, grace {} ms", grace);
        ops.stopping();
        presence.leave(); // routing on the other nodes stops offering chats to this node's operators at once
        housekeeping.shutdownNow();
        try {
            Hub.Drained drained = hub.drain(Duration.ofMillis(Math.min(HUB_DRAIN_WAIT_MILLIS, grace / 4)));
            log.info("closed {} hub connections ({} dropped: no answer to Close) in {} ms",
                    drained.closed(), drained.dropped(), millisSince(started));
            stopHttp(deadline - Math.min(RESERVE_AFTER_HTTP_MILLIS, grace / 5) * 1_000_000);
            for (AutoCloseable c : components) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
                }
            }
        } finally {
            db.close();
            log.info("stopped in {} ms", millisSince(started));
        }
    }

    /** Jetty's graceful stop: no new connections, in-flight requests finish until {@code until} (nanoTime). */
    private void stopHttp(long until) {
        Server server = javalin.jettyServer().server();
        long timeout = Math.max(1, (until - System.nanoTime()) / 1_000_000);
        server.setStopTimeout(timeout);
        int open = 0;
        for (Connector c : server.getConnectors()) {
            open += c.getConnectedEndPoints().size();
            // Jetty's default (1 s) keeps every connection used in the last second, idle keep-alive ones too.
            if (c instanceof AbstractConnector ac) ac.setShutdownIdleTimeout(SHUTDOWN_IDLE_TIMEOUT_MILLIS);
        }
        long started = System.nanoTime();
        String cut = "";
        try {
            server.stop(); // what javalin.stop() does, without its ERROR and stack trace when the grace runs out
        } catch (TimeoutException e) {
            cut = "; requests still running at the deadline were cut";
        } catch (Exception e) {
            log.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
        log.info("HTTP server stopped in {} ms ({} connections were open{})", millisSince(started), open, cut);
    }

    private static long millisSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1_000_000;
    }
}
