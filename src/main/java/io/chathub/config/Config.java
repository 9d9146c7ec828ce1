package io.chathub.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything ChatHub can be told, read from environment variables (see README, "Configuration").
 * Immutable; tests build one with {@link #builder()}.
 */
public record Config(
        String host,
        int port,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        int dbPoolSize,
        Duration dbConnectTimeout,
        boolean dev,
        boolean demo,
        String jwtSecret,
        Duration companyTokenTtl,
        Duration operatorTokenMaxTtl,
        LoginSettings login,
        long maxRequestBytes,
        Duration shutdownGrace,
        long mediaMaxBytes,
        String natsUrl,
        String natsSubjectPrefix,
        HubSettings hub,
        WidgetSettings widget,
        ChannelSettings channels,
        String secretKey,
        WebhookSettings webhooks,
        ClusterSettings cluster) {

    public static final String DEFAULT_DATA_DIR = "./data";

    /**
     * Reads the configuration from environment variables; {@code demoDefault} applies when CHATHUB_DEMO is unset.
     * A server with the demo company (whose password everybody knows) listens on 127.0.0.1 only, unless
     * CHATHUB_HOST says otherwise; any other listens on every interface.
     */
    public static Config fromEnv(Map<String, String> env, boolean demoDefault) {
        var e = new Env(env);
        boolean demo = e.bool("CHATHUB_DEMO", demoDefault);
        return new Config(
                e.string("CHATHUB_HOST", demo ? "127.0.0.1" : "0.0.0.0"),
                e.integer("CHATHUB_PORT", 8080),
                Path.of(e.string("CHATHUB_DATA_DIR", DEFAULT_DATA_DIR)),
                e.string("CHATHUB_DB_URL", null),
                e.string("CHATHUB_DB_USER", null),
                e.string("CHATHUB_DB_PASSWORD", null),
                e.integer("CHATHUB_DB_POOL_SIZE", 8),
                checkDbConnectTimeout(e.duration("CHATHUB_DB_CONNECT_TIMEOUT", Duration.ofSeconds(5))),
                e.bool("CHATHUB_DEV", false),
                demo,
                e.string("CHATHUB_JWT_SECRET", null),
                e.duration("CHATHUB_COMPANY_TOKEN_TTL", Duration.ofDays(30)),
                Duration.ofHours(24),
                LoginSettings.fromEnv(e),
                e.integer("CHATHUB_MAX_REQUEST_BYTES", 1_048_576),
                e.duration("CHATHUB_SHUTDOWN_GRACE", Duration.ofSeconds(10)),
                e.integer("CHATHUB_MEDIA_MAX_BYTES", 10 * 1024 * 1024),
                e.string("CHATHUB_NATS_URL", null),
                e.string("CHATHUB_NATS_SUBJECT_PREFIX", null),
                HubSettings.fromEnv(e),
                WidgetSettings.fromEnv(e),
                ChannelSettings.fromEnv(e),
                e.string("CHATHUB_SECRET_KEY", null),
                WebhookSettings.fromEnv(e),
                ClusterSettings.fromEnv(e));
    }

    /** 250 ms (the pool's least) to 60 s. */
    static Duration checkDbConnectTimeout(Duration d) {
        if (d.toMillis() < 250 || d.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("CHATHUB_DB_CONNECT_TIMEOUT must be between 250ms and 60s, got " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder(fromEnv(Map.of(), false));
    }

    public boolean usesPostgres() {
        return dbUrl != null && dbUrl.startsWith("jdbc:postgresql:");
    }

    /** The JDBC URL in force: the configured one, or the embedded SQLite file in the data dir. */
    public String effectiveDbUrl() {
        return dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("chathub.db").toAbsolutePath();
    }

    /** Hides secrets: safe to log. */
    @Override
    public String toString() {
        return "Config[host=%s, port=%d, dataDir=%s, db=%s, dev=%s, demo=%s, jwtSecret=%s, publicUrl=%s, secretKey=%s]".formatted(
                host, port, dataDir, usesPostgres() ? "postgresql" : "sqlite", dev, demo,
                jwtSecret == null ? "generated" : "set", channels.publicUrl(), secretKey == null ? "generated" : "set");
    }

    /** Parses "30d", "12h", "15m", "90s", "500ms" or an ISO-8601 duration such as "PT12H". */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)").matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * Login throttling (see {@code LoginThrottle} and README, "Login throttling").
     *
     * @param maxFailuresPerLoginIp failures of one login from one client IP within the window before that pair gets 429
     * @param maxFailuresPerIp      failures from one client IP (any logins) within the window before it gets 429
     * @param window                the sliding window of all the counts
     * @param delayAfter            failures of one login (from all IPs) within the window from which attempts from
     *                              IPs that have failed wait growing delays (1 s, doubling)
     * @param maxDelay              the cap of those delays
     */
    public record LoginSettings(int maxFailuresPerLoginIp, int maxFailuresPerIp, Duration window, int delayAfter,
                                Duration maxDelay) {
        public LoginSettings {
            if (maxFailuresPerLoginIp < 1 || maxFailuresPerIp < 1 || delayAfter < 1) {
                throw new IllegalArgumentException("CHATHUB_LOGIN_MAX_FAILURES, CHATHUB_LOGIN_MAX_FAILURES_PER_IP and "
                        + "CHATHUB_LOGIN_DELAY_AFTER must be at least 1");
            }
            if (window.isNegative() || window.isZero() || maxDelay.isNegative() || maxDelay.isZero()) {
                throw new IllegalArgumentException("CHATHUB_LOGIN_WINDOW and CHATHUB_LOGIN_MAX_DELAY must be positive");
            }
        }

        static LoginSettings fromEnv(Env e) {
            return new LoginSettings(
                    e.integer("CHATHUB_LOGIN_MAX_FAILURES", 5),
                    e.integer("CHATHUB_LOGIN_MAX_FAILURES_PER_IP", 20),
                    e.duration("CHATHUB_LOGIN_WINDOW", Duration.ofMinutes(15)),
                    e.integer("CHATHUB_LOGIN_DELAY_AFTER", 10),
                    e.duration("CHATHUB_LOGIN_MAX_DELAY", Duration.ofMinutes(5)));
        }

        public LoginSettings withMaxFailuresPerLoginIp(int v) {
            return new LoginSettings(v, maxFailuresPerIp, window, delayAfter, maxDelay);
        }

        public LoginSettings withMaxFailuresPerIp(int v) {
            return new LoginSettings(maxFailuresPerLoginIp, v, window, delayAfter, maxDelay);
        }

        public LoginSettings withWindow(Duration v) {
            return new LoginSettings(maxFailuresPerLoginIp, maxFailuresPerIp, v, delayAfter, maxDelay);
        }

        public LoginSettings withDelayAfter(int v) {
            return new LoginSettings(maxFailuresPerLoginIp, maxFailuresPerIp, window, v, maxDelay);
        }

        public LoginSettings withMaxDelay(Duration v) {
            return new LoginSettings(maxFailuresPerLoginIp, maxFailuresPerIp, window, delayAfter, v);
        }
    }

    /**
     * The real-time hub ({@code /chathub}). The defaults are ASP.NET Core SignalR's, so that the official clients,
     * whose own timers assume them, keep working.
     *
     * @param keepAliveInterval  a Ping is sent when nothing else was sent for this long
     * @param clientTimeout      a connection that sent nothing (not even a Ping) for this long is closed
     * @param handshakeTimeout   a connection that has not completed the handshake within this is closed
     * @param negotiateTimeout   how long a connection id from {@code /chathub/negotiate} waits for its WebSocket
     * @param maxMessageBytes    largest accepted client message (one JSON record, UTF-8 bytes)
     * @param outboundMaxFrames  frames one connection may have waiting to be sent before it is closed as too slow
     * @param outboundMaxBytes   the same bound in bytes (approximately: characters of JSON)
     * @param writeTimeout       longest a single frame may take to write before the connection is dropped
     */
    public record HubSettings(Duration keepAliveInterval, Duration clientTimeout, Duration handshakeTimeout,
                      Duration negotiateTimeout, int maxMessageBytes, int outboundMaxFrames, long outboundMaxBytes,
                      Duration writeTimeout) {

        public HubSettings {
            for (Duration d : new Duration[] {keepAliveInterval, clientTimeout, handshakeTimeout, negotiateTimeout, writeTimeout}) {
                if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("hub durations must be positive, got " + d);
            }
            if (maxMessageBytes < 1024) throw new IllegalArgumentException("CHATHUB_HUB_MAX_MESSAGE_BYTES must be at least 1024");
            if (outboundMaxFrames < 1 || outboundMaxBytes < 1) throw new IllegalArgumentException("hub outbound bounds must be positive");
        }

        public static HubSettings defaults() {
            return fromEnv(new Env(Map.of()));
        }

        static HubSettings fromEnv(Env e) {
            return new HubSettings(
                    e.duration("CHATHUB_HUB_KEEP_ALIVE_INTERVAL", Duration.ofSeconds(15)),
                    e.duration("CHATHUB_HUB_CLIENT_TIMEOUT", Duration.ofSeconds(30)),
                    e.duration("CHATHUB_HUB_HANDSHAKE_TIMEOUT", Duration.ofSeconds(15)),
                    e.duration("CHATHUB_HUB_NEGOTIATE_TIMEOUT", Duration.ofSeconds(15)),
                    e.integer("CHATHUB_HUB_MAX_MESSAGE_BYTES", 14 * 1024 * 1024),
                    e.integer("CHATHUB_HUB_OUTBOUND_MAX_FRAMES", 1_024),
                    e.integer("CHATHUB_HUB_OUTBOUND_MAX_BYTES", 16_777_216),
                    e.duration("CHATHUB_HUB_WRITE_TIMEOUT", Duration.ofSeconds(10)));
        }

        public HubSettings withKeepAliveInterval(Duration v) {
            return new HubSettings(v, clientTimeout, handshakeTimeout, negotiateTimeout, maxMessageBytes, outboundMaxFrames, outboundMaxBytes, writeTimeout);
        }

        public HubSettings withClientTimeout(Duration v) {
            return new HubSettings(keepAliveInterval, v, handshakeTimeout, negotiateTimeout, maxMessageBytes, outboundMaxFrames, outboundMaxBytes, writeTimeout);
        }

        public HubSettings withHandshakeTimeout(Duration v) {
            return new HubSettings(keepAliveInterval, clientTimeout, v, negotiateTimeout, maxMessageBytes, outboundMaxFrames, outboundMaxBytes, writeTimeout);
        }

        public HubSettings withNegotiateTimeout(Duration v) {
            return new HubSettings(keepAliveInterval, clientTimeout, handshakeTimeout, v, maxMessageBytes, outboundMaxFrames, outboundMaxBytes, writeTimeout);
        }

        public HubSettings withMaxMessageBytes(int v) {
            return new HubSettings(keepAliveInterval, clientTimeout, handshakeTimeout, negotiateTimeout, v, outboundMaxFrames, outboundMaxBytes, writeTimeout);
        }

        public HubSettings withOutboundMaxFrames(int v) {
            return new HubSettings(keepAliveInterval, clientTimeout, handshakeTimeout, negotiateTimeout, maxMessageBytes, v, outboundMaxBytes, writeTimeout);
        }

        public HubSettings withOutboundMaxBytes(long v) {
            return new HubSettings(keepAliveInterval, clientTimeout, handshakeTimeout, negotiateTimeout, maxMessageBytes, outboundMaxFrames, v, writeTimeout);
        }

        public HubSettings withWriteTimeout(Duration v) {
            return new HubSettings(keepAliveInterval, clientTimeout, handshakeTimeout, negotiateTimeout, maxMessageBytes, outboundMaxFrames, outboundMaxBytes, v);
        }
    }

    /** At most {@code max} events within {@code window}; written {@code 30/1h} in the environment. */
    public record Rate(int max, Duration window) {
        static Rate parse(String name, String text) {
            Matcher m = Pattern.compile("(\\d+)\\s*/\\s*(.+)").matcher(text.strip());
            if (!m.matches()) throw new IllegalArgumentException(name + " must look like 30/1h (count per duration), got '" + text + "'");
            Rate r = new Rate(Integer.parseInt(m.group(1)), parseDuration(m.group(2)));
            if (r.max < 1 || r.window.isNegative() || r.window.isZero()) throw new IllegalArgumentException(name + " must be positive, got '" + text + "'");
            return r;
        }
    }

    /**
     * The customer chat widget's visitor API ({@code /api/widget/{guid}/…}): its abuse limits and the visitor token.
     *
     * @param sessionsPerIp   new visitors (sessions of browsers never seen) per client IP
     * @param chatsPerIp      new chats per client IP
     * @param messagesPerVisitor messages per visitor
     * @param maxText         longest visitor message, in characters
     * @param visitorTokenTtl lifetime of a visitor token (at most 1 h); the widget renews it
     */
    public record WidgetSettings(Rate sessionsPerIp, Rate chatsPerIp, Rate messagesPerVisitor, int maxText,
                                 Duration visitorTokenTtl) {
        public WidgetSettings {
            if (maxText < 1) throw new IllegalArgumentException("CHATHUB_WIDGET_MAX_TEXT must be positive");
            if (visitorTokenTtl.isNegative() || visitorTokenTtl.isZero() || visitorTokenTtl.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("CHATHUB_VISITOR_TOKEN_TTL must be positive and at most 1h");
            }
        }

        static WidgetSettings fromEnv(Env e) {
            return new WidgetSettings(
                    e.rate("CHATHUB_WIDGET_SESSIONS_PER_IP", "30/1h"),
                    e.rate("CHATHUB_WIDGET_CHATS_PER_IP", "6/12h"),
                    e.rate("CHATHUB_WIDGET_MESSAGES_PER_VISITOR", "20/1m"),
                    e.integer("CHATHUB_WIDGET_MAX_TEXT", 4_000),
                    e.duration("CHATHUB_VISITOR_TOKEN_TTL", Duration.ofHours(1)));
        }

        public WidgetSettings withSessionsPerIp(Rate r) {
            return new WidgetSettings(r, chatsPerIp, messagesPerVisitor, maxText, visitorTokenTtl);
        }

        public WidgetSettings withChatsPerIp(Rate r) {
            return new WidgetSettings(sessionsPerIp, r, messagesPerVisitor, maxText, visitorTokenTtl);
        }

        public WidgetSettings withMessagesPerVisitor(Rate r) {
            return new WidgetSettings(sessionsPerIp, chatsPerIp, r, maxText, visitorTokenTtl);
        }
    }

    /**
     * The messenger channels (Telegram, Viber, WhatsApp): how the messengers reach this server, where their APIs are,
     * (the key that encrypts their credentials at rest is CHATHUB_SECRET_KEY, {@link Config#secretKey}).
     *
     * @param publicUrl      this server's URL as the messengers reach it (CHATHUB_PUBLIC_URL, no trailing slash);
     *                       null: no channel can be created
     * @param telegramApiUrl the Telegram Bot API (a self-hosted Bot API server works the same)
     * @param viberApiUrl    the Viber REST bot API
     * @param whatsappApiUrl the WhatsApp Cloud API (Graph API with its version)
     */
    public record ChannelSettings(String publicUrl, String telegramApiUrl, String viberApiUrl, String whatsappApiUrl) {
        public ChannelSettings {
            publicUrl = publicUrl == null ? null : checkUrl("CHATHUB_PUBLIC_URL", publicUrl);
            telegramApiUrl = checkUrl("CHATHUB_TELEGRAM_API_URL", telegramApiUrl);
            viberApiUrl = checkUrl("CHATHUB_VIBER_API_URL", viberApiUrl);
            whatsappApiUrl = checkUrl("CHATHUB_WHATSAPP_API_URL", whatsappApiUrl);
        }

        /** An http(s) URL without a trailing slash. */
        private static String checkUrl(String name, String url) {
            String u = url.strip();
            while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
            try {
                var uri = new java.net.URI(u);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new IllegalArgumentException();
                }
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                throw new IllegalArgumentException(name + " must be an http(s) URL such as https://chathub.example.com, got '" + url + "'");
            }
            return u;
        }

        static ChannelSettings fromEnv(Env e) {
            return new ChannelSettings(
                    e.string("CHATHUB_PUBLIC_URL", null),
                    e.string("CHATHUB_TELEGRAM_API_URL", "https://api.telegram.org"),
                    e.string("CHATHUB_VIBER_API_URL", "https://chatapi.viber.com/pa"),
                    e.string("CHATHUB_WHATSAPP_API_URL", "https://graph.facebook.com/v21.0"));
        }

        public ChannelSettings withPublicUrl(String v) {
            return new ChannelSettings(v, telegramApiUrl, viberApiUrl, whatsappApiUrl);
        }

        public ChannelSettings withTelegramApiUrl(String v) {
            return new ChannelSettings(publicUrl, v, viberApiUrl, whatsappApiUrl);
        }

        public ChannelSettings withViberApiUrl(String v) {
            return new ChannelSettings(publicUrl, telegramApiUrl, v, whatsappApiUrl);
        }

        public ChannelSettings withWhatsappApiUrl(String v) {
            return new ChannelSettings(publicUrl, telegramApiUrl, viberApiUrl, v);
        }

    }

    /**
     * Outbound webhooks ({@code /api/company/webhooks}): where they may point, how long an attempt may take, the
     * retry schedule and when a failing webhook is disabled.
     *
     * @param allowPrivate  true lets webhook URLs resolve to loopback, link-local, private, multicast or unspecified
     *                      addresses (refused otherwise: SSRF); for tests and closed networks only
     * @param timeout       the longest one attempt may take, from connecting to the response's status line
     * @param retryBase     the wait before the first retry; each further retry waits twice as long (with jitter)
     * @param retryWindow   retries stop this long after the event: the delivery has failed
     * @param disableAfter  consecutive failed deliveries after which the webhook is disabled
     * @param concurrency   attempts under way at once on this node (at most 8 of them to one webhook)
     * @param logRetention  finished deliveries are kept in the delivery log this long
     */
    public record WebhookSettings(boolean allowPrivate, Duration timeout, Duration retryBase, Duration retryWindow,
                                  int disableAfter, int concurrency, Duration logRetention) {
        public WebhookSettings {
            for (Duration d : new Duration[] {timeout, retryBase, retryWindow, logRetention}) {
                if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("webhook durations must be positive, got " + d);
            }
            if (disableAfter < 1) throw new IllegalArgumentException("CHATHUB_WEBHOOKS_DISABLE_AFTER must be at least 1");
            if (concurrency < 1) throw new IllegalArgumentException("CHATHUB_WEBHOOKS_CONCURRENCY must be at least 1");
        }

        static WebhookSettings fromEnv(Env e) {
            return new WebhookSettings(
                    e.bool("CHATHUB_WEBHOOKS_ALLOW_PRIVATE", false),
                    e.duration("CHATHUB_WEBHOOKS_TIMEOUT", Duration.ofSeconds(10)),
                    e.duration("CHATHUB_WEBHOOKS_RETRY_BASE", Duration.ofSeconds(10)),
                    e.duration("CHATHUB_WEBHOOKS_RETRY_WINDOW", Duration.ofHours(24)),
                    e.integer("CHATHUB_WEBHOOKS_DISABLE_AFTER", 10),
                    e.integer("CHATHUB_WEBHOOKS_CONCURRENCY", 16),
                    e.duration("CHATHUB_WEBHOOKS_LOG_RETENTION", Duration.ofDays(7)));
        }

        public WebhookSettings withAllowPrivate(boolean v) {
            return new WebhookSettings(v, timeout, retryBase, retryWindow, disableAfter, concurrency, logRetention);
        }

        public WebhookSettings withTimeout(Duration v) {
            return new WebhookSettings(allowPrivate, v, retryBase, retryWindow, disableAfter, concurrency, logRetention);
        }

        /** The retry schedule: the first wait, and how long after the event retries stop. */
        public WebhookSettings withRetries(Duration base, Duration window) {
            return new WebhookSettings(allowPrivate, timeout, base, window, disableAfter, concurrency, logRetention);
        }

        public WebhookSettings withDisableAfter(int v) {
            return new WebhookSettings(allowPrivate, timeout, retryBase, retryWindow, v, concurrency, logRetention);
        }
    }

    /**
     * Running several nodes (README, "Several nodes").
     *
     * @param nodeId        this node's id in logs, metrics and the presence and outbox leases (CHATHUB_NODE_ID); null:
     *                      generated once into {@code $CHATHUB_DATA_DIR/node-id}
     * @param presenceLease how long a node's presence rows count without a heartbeat (CHATHUB_PRESENCE_LEASE): a node
     *                      that dies takes its operators offline within this; renewed every third of it
     * @param routingSweep  how often each node offers every organization's waiting queue again (CHATHUB_ROUTING_SWEEP),
     *                      whatever triggered routing or not: what a node that died between a commit and its routing
     *                      left waiting is offered within this
     */
    public record ClusterSettings(String nodeId, Duration presenceLease, Duration routingSweep) {
        public static final int MAX_NODE_ID = 64;

        public ClusterSettings {
            if (nodeId != null && !nodeId.matches("[A-Za-z0-9._-]{1," + MAX_NODE_ID + "}")) {
                throw new IllegalArgumentException("CHATHUB_NODE_ID must be 1.." + MAX_NODE_ID
                        + " letters, digits, '.', '_' or '-', got '" + nodeId + "'");
            }
            if (presenceLease.compareTo(Duration.ofMillis(300)) < 0 || presenceLease.compareTo(Duration.ofSeconds(15)) > 0) {
                throw new IllegalArgumentException("CHATHUB_PRESENCE_LEASE must be 300ms..15s, got " + presenceLease);
            }
            if (routingSweep.compareTo(Duration.ofMillis(100)) < 0) {
                throw new IllegalArgumentException("CHATHUB_ROUTING_SWEEP must be at least 100ms, got " + routingSweep);
            }
        }

        static ClusterSettings fromEnv(Env e) {
            return new ClusterSettings(e.string("CHATHUB_NODE_ID", null),
                    e.duration("CHATHUB_PRESENCE_LEASE", Duration.ofSeconds(10)),
                    e.duration("CHATHUB_ROUTING_SWEEP", Duration.ofSeconds(5)));
        }

        public ClusterSettings withNodeId(String v) {
            return new ClusterSettings(v, presenceLease, routingSweep);
        }

        public ClusterSettings withPresenceLease(Duration v) {
            return new ClusterSettings(nodeId, v, routingSweep);
        }

        public ClusterSettings withRoutingSweep(Duration v) {
            return new ClusterSettings(nodeId, presenceLease, v);
        }
    }

    private record Env(Map<String, String> env) {
        Rate rate(String name, String fallback) {
            return Rate.parse(name, string(name, fallback));
        }

        String string(String name, String fallback) {
            String v = env.get(name);
            return v == null || v.isBlank() ? fallback : v.trim();
        }

        int integer(String name, int fallback) {
            return Optional.ofNullable(string(name, null)).map(v -> {
                try {
                    return Integer.parseInt(v);
                } catch (NumberFormatException ex) {
                    throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
                }
            }).orElse(fallback);
        }

        boolean bool(String name, boolean fallback) {
            return Optional.ofNullable(string(name, null))
                    .map(v -> switch (v.toLowerCase(Locale.ROOT)) {
                        case "true", "1", "yes", "on" -> true;
                        case "false", "0", "no", "off" -> false;
                        default -> throw new IllegalArgumentException(name + " must be true or false, got '" + v + "'");
                    })
                    .orElse(fallback);
        }

        Duration duration(String name, Duration fallback) {
            return Optional.ofNullable(string(name, null)).map(v -> {
                try {
                    return parseDuration(v);
                } catch (RuntimeException ex) {
                    throw new IllegalArgumentException(name + " must be a duration like 30d, 12h or PT15M, got '" + v + "'");
                }
            }).orElse(fallback);
        }
    }

    /** Test and CLI convenience: copy-with changes. */
    public static final class Builder {
        private String host; private int port; private Path dataDir; private String dbUrl; private String dbUser;
        private String dbPassword; private int dbPoolSize; private Duration dbConnectTimeout; private boolean dev; private boolean demo; private String jwtSecret;
        private Duration companyTokenTtl; private Duration operatorTokenMaxTtl; private LoginSettings login;
        private long maxRequestBytes; private Duration shutdownGrace;
        private long mediaMaxBytes; private String natsUrl; private String natsSubjectPrefix;
        private HubSettings hub;
        private WidgetSettings widget;
        private ChannelSettings channels;
        private String secretKey;
        private WebhookSettings webhooks;
        private ClusterSettings cluster;

        Builder(Config c) {
            host = c.host; port = c.port; dataDir = c.dataDir; dbUrl = c.dbUrl; dbUser = c.dbUser; dbPassword = c.dbPassword;
            dbPoolSize = c.dbPoolSize; dbConnectTimeout = c.dbConnectTimeout; dev = c.dev; demo = c.demo; jwtSecret = c.jwtSecret; companyTokenTtl = c.companyTokenTtl;
            operatorTokenMaxTtl = c.operatorTokenMaxTtl; login = c.login; maxRequestBytes = c.maxRequestBytes;
            shutdownGrace = c.shutdownGrace; hub = c.hub; widget = c.widget; channels = c.channels;
            mediaMaxBytes = c.mediaMaxBytes;
            natsUrl = c.natsUrl;
            natsSubjectPrefix = c.natsSubjectPrefix;
            secretKey = c.secretKey;
            webhooks = c.webhooks;
            cluster = c.cluster;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder dbUrl(String v) { dbUrl = v; return this; }
        public Builder dbUser(String v) { dbUser = v; return this; }
        public Builder dbPassword(String v) { dbPassword = v; return this; }
        public Builder dbConnectTimeout(Duration v) { dbConnectTimeout = checkDbConnectTimeout(v); return this; }
        public Builder dev(boolean v) { dev = v; return this; }
        public Builder demo(boolean v) { demo = v; return this; }
        public Builder jwtSecret(String v) { jwtSecret = v; return this; }
        public Builder companyTokenTtl(Duration v) { companyTokenTtl = v; return this; }
        public Builder login(LoginSettings v) { login = v; return this; }
        public Builder login(UnaryOperator<LoginSettings> change) { login = change.apply(login); return this; }
        public Builder maxRequestBytes(long v) { maxRequestBytes = v; return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        public Builder mediaMaxBytes(long v) { mediaMaxBytes = v; return this; }
        public Builder natsUrl(String v) { natsUrl = v; return this; }
        public Builder natsSubjectPrefix(String v) { natsSubjectPrefix = v; return this; }
        public Builder hub(HubSettings v) { hub = v; return this; }
        public Builder widget(WidgetSettings v) { widget = v; return this; }
        public Builder channels(ChannelSettings v) { channels = v; return this; }
        public Builder publicUrl(String v) { channels = channels.withPublicUrl(v); return this; }
        public Builder telegramApiUrl(String v) { channels = channels.withTelegramApiUrl(v); return this; }
        public Builder viberApiUrl(String v) { channels = channels.withViberApiUrl(v); return this; }
        public Builder whatsappApiUrl(String v) { channels = channels.withWhatsappApiUrl(v); return this; }
        public Builder secretKey(String v) { secretKey = v; return this; }
        public Builder webhooks(WebhookSettings v) { webhooks = v; return this; }
        public Builder cluster(ClusterSettings v) { cluster = v; return this; }
        public Builder cluster(UnaryOperator<ClusterSettings> change) { cluster = change.apply(cluster); return this; }

        public Config build() {
            return new Config(host, port, dataDir, dbUrl, dbUser, dbPassword, dbPoolSize, dbConnectTimeout, dev, demo, jwtSecret,
                    companyTokenTtl, operatorTokenMaxTtl, login, maxRequestBytes, shutdownGrace, mediaMaxBytes, natsUrl,
                    natsSubjectPrefix, hub, widget, channels, secretKey, webhooks, cluster);
        }
    }
}
