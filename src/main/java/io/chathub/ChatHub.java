package io.chathub;

import io.chathub.auth.Authenticator;
import io.chathub.auth.JdbiTokenStore;
import io.chathub.auth.Jwts;
import io.chathub.auth.LoginThrottle;
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
import io.chathub.chat.MessageWriter;
import io.chathub.chat.Presence;
import io.chathub.chat.Router;
import io.chathub.company.CompanyRoutes;
import io.chathub.company.CompanyService;
import io.chathub.company.JdbiCompanyStore;
import io.chathub.config.Config;
import io.chathub.db.Database;
import io.chathub.demo.DemoData;
import io.chathub.hub.Hub;
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
import io.chathub.web.RequestLimits;
import io.chathub.widget.WidgetAssets;
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

/**
 * A running ChatHub server: the database, the services and the HTTP server wired together.
 * {@link #start} opens everything; {@link #close} shuts it down gracefully (in-flight requests finish).
 */
public final class ChatHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatHub.class);

    /** A route the server answers; the OpenAPI test checks the document against these. */
    public record Route(String method, String path) {}

    private final Config config;
    private final Database db;
    private final Javalin javalin;
    private final OpsRoutes ops;
    private final Hub hub;
    private final ChatService chats;
    private final ScheduledExecutorService housekeeping;
    private final List<Route> routes;
    private final List<AutoCloseable> components;

    private ChatHub(Config config, Database db, Javalin javalin, OpsRoutes ops, Hub hub, ChatService chats,
                    ScheduledExecutorService housekeeping, List<Route> routes, List<AutoCloseable> components) {
        this.components = components;
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
        Clock clock = Clock.systemUTC();
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
        var throttle = new LoginThrottle(config.loginMaxFailuresPerLogin(), config.loginMaxFailuresPerIp(),
                config.loginWindow(), clock);

        var companies = new CompanyService(new JdbiCompanyStore(db), jwts, throttle, config.companyTokenTtl(), clock);
        var organizationStore = new JdbiOrganizationStore(db);
        var operatorStore = new JdbiOperatorStore(db);
        EventBus bus = config.natsUrl() == null ? new LocalEventBus()
                : new NatsEventBus(config.natsUrl(), config.natsSubjectPrefix());
        var events = new EventPublisher(db, bus);
        var organizations = new OrganizationService(organizationStore, db, events);
        var operators = new OperatorService(operatorStore, organizations, tokenStore, jwts, auth, db,
                config.operatorTokenMaxTtl(), clock, events);
        var chatStore = new JdbiChatStore(db);
        var mediaService = new MediaService(config.dataDir().resolve("media"), config.mediaMaxBytes());
        var writer = new MessageWriter(db, metrics);
        var presence = new Presence();
        var chats = new ChatService(chatStore, operatorStore, organizations, mediaService, writer, events, db);
        var router = new Router(chatStore, operatorStore, presence, chats::routeTo);
        var visitors = new VisitorService(organizations, chats, chatStore, new JdbiVisitorStore(db), operatorStore, presence,
                jwts, db, clock, config.widget());
        chats.router(router);
        var http = new MessengerHttp();
        var channelSettings = config.channels();
        var channels = new ChannelService(new JdbiChannelStore(db), List.of(
                new TelegramMessenger(channelSettings.telegramApiUrl(), http, config.mediaMaxBytes()),
                new ViberMessenger(channelSettings.viberApiUrl(), http, config.mediaMaxBytes()),
                new WhatsAppMessenger(channelSettings.whatsappApiUrl(), http, config.mediaMaxBytes())),
                new CredentialBox(Secrets.secretKey(config)), organizations, chats, chatStore, mediaService, writer, db,
                channelSettings, Secrets.nodeId(config), clock, metrics);
        chats.appendListener(channels.appendListener());
        organizations.beforeDelete(channels::organizationDeleted);
        if (config.demo()) new DemoData(companies, organizationStore, operatorStore, db).seed();

        var ops = new OpsRoutes(db, metrics);
        var requestMetrics = new RequestMetrics(metrics);
        List<Route> routes = Collections.synchronizedList(new ArrayList<>());
        var hub = new Hub(config.hub(), auth, clock, metrics);
        AutoCloseable realtime = ChatRealtime.bind(hub, chats, chatStore, bus, presence, router, operatorStore);
        var origins = new OriginRules(organizationStore, config.dev());
        hub.originPolicy(origins::allows);
        var widgetAssets = WidgetAssets.load();

        Javalin javalin;
        try {
            javalin = Javalin.create(cfg -> {
                configureServer(cfg, config);
                cfg.events.handlerAdded(h -> routes.add(new Route(h.getHttpMethod().name(), h.getPath())));
                cfg.requestLogger.http(requestMetrics::record);
                Problems.register(cfg);
                EmptyResponses.register(cfg);
                new Cors(origins, auth).register(cfg.routes);
                var limits = new RequestLimits(config.maxRequestBytes(), ChatHub::mayCarryMedia);
                cfg.routes.before("/api/*", limits::check);
                ops.register(cfg.routes);
                new CompanyRoutes(companies).register(cfg.routes);
                new OrganizationRoutes(organizations, auth).register(cfg.routes);
                new OperatorRoutes(operators, auth).register(cfg.routes);
                new ChatRoutes(chats, auth).register(cfg.routes);
                new VisitorRoutes(visitors, auth).register(cfg.routes);
                new MediaRoutes(mediaService, chatStore, auth).register(cfg.routes);
                new ChannelRoutes(channels, auth).register(cfg.routes);
                hub.register(cfg);
                new WidgetRoutes(widgetAssets).register(cfg.routes);
            });
            javalin.start(config.host(), config.port());
        } catch (RuntimeException e) {
            hub.close();
            channels.close();
            router.close();
            writer.close();
            try {
                realtime.close();
            } catch (Exception ignored) {
                // only stops a timer
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
            } catch (RuntimeException e) {
                log.warn("token housekeeping failed: {}", e.toString());
            }
        }, 1, 60, TimeUnit.MINUTES);
        return new ChatHub(config, db, javalin, ops, hub, chats, housekeeping, List.copyOf(routes),
                List.of(channels, router, writer, realtime, bus));
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
     * Graceful: readiness turns DOWN, hub clients are told to reconnect (elsewhere), Jetty stops accepting and
     * lets requests finish, the message writer drains, then the pools close.
     */
    @Override
    public void close() {
        ops.stopping();
        hub.close();
        housekeeping.shutdownNow();
        try {
            try {
                javalin.stop();
            } catch (RuntimeException e) {
                log.warn("HTTP server did not stop within the grace period: {}", e.toString());
            }
            for (AutoCloseable c : components) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.toString());
                }
            }
        } finally {
            db.close();
        }
    }
}
