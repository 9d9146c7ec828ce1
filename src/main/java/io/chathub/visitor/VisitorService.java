package io.chathub.visitor;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.auth.Jwts;
import io.chathub.auth.Principal;
import io.chathub.chat.Chat;
import io.chathub.chat.ChatService;
import io.chathub.chat.ChatStore;
import io.chathub.chat.Enums;
import io.chathub.chat.Message;
import io.chathub.chat.Presence;
import io.chathub.config.Config;
import io.chathub.db.Database;
import io.chathub.media.MediaService;
import io.chathub.operator.OperatorStore;
import io.chathub.organization.BusinessHours;
import io.chathub.organization.Organization;
import io.chathub.organization.OrganizationService;
import io.chathub.web.ApiException;
import io.chathub.web.RateLimiter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The customer chat widget's visitors (SPEC §5): sessions, their chats and messages, contact details, identity
 * verification, offline messages, ratings and transcripts. A visitor reaches only the chats of the client it writes
 * as, in its own organization; a logged-in customer verified by the company's HMAC writes as that customer's client
 * on every device, and an unverified visitor is never merged into a verified client.
 */
public final class VisitorService {
    /** The client identities: an anonymous browser, or a logged-in customer verified by the company's HMAC. */
    static final String ANONYMOUS = "v:", VERIFIED = "u:";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,255}\\.[^@\\s.]{2,63}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{5,24}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A session request: a browser's kept visitorId and resume secret (null for a new browser), and where it is. */
    public record SessionRequest(String visitorId, String resume, String pageUrl, String language, String userAgent) {}

    /** What the widget needs to show itself: the organization's face, whether someone can answer now. */
    public record OrganizationView(String name, String greeting, String themeColor, String defaultLanguage,
                                   PreChat preChat, boolean online, String offlineContact, String position) {}

    public record PreChat(List<String> fields, List<String> required) {}

    public record ChatRef(long id, int chatStatus, boolean rated) {}

    /** {@code resume} is given to a new browser only: it keeps it beside {@code visitorId}. */
    public record Session(String visitorToken, String visitorId, String resume, String expiresAt,
                          OrganizationView organization, ChatRef chat) {}

    /** Contact details and, for a logged-in customer, its external id and the company's HMAC of it. */
    public record Contact(String name, String email, String phone, String externalId, String hash) {}

    private final OrganizationService organizations;
    private final ChatService chats;
    private final ChatStore chatStore;
    private final VisitorStore store;
    private final OperatorStore operators;
    private final Presence presence;
    private final Jwts jwts;
    private final Database db;
    private final Clock clock;
    private final Config.WidgetSettings settings;
    private final RateLimiter sessionsPerIp;
    private final RateLimiter chatsPerIp;
    private final RateLimiter messagesPerVisitor;

    public VisitorService(OrganizationService organizations, ChatService chats, ChatStore chatStore, VisitorStore store,
                          OperatorStore operators, Presence presence, Jwts jwts, Database db, Clock clock,
                          Config.WidgetSettings settings) {
        this.organizations = organizations;
        this.chats = chats;
        this.chatStore = chatStore;
        this.store = store;
        this.operators = operators;
        this.presence = presence;
        this.jwts = jwts;
        this.db = db;
        this.clock = clock;
        this.settings = settings;
        this.sessionsPerIp = limiter("new visitor sessions from this address", settings.sessionsPerIp());
        this.chatsPerIp = limiter("new chats from this address", settings.chatsPerIp());
        this.messagesPerVisitor = limiter("messages", settings.messagesPerVisitor());
    }

    private RateLimiter limiter(String what, Config.Rate rate) {
        return new RateLimiter(what, rate.max(), rate.window(), clock);
    }

    /** The organization of a widget guid: 404 when there is none (also for a guid that was rotated away). */
    public Organization organization(String guid) {
        return organizations.byWidgetGuid(guid);
    }

    // ---- sessions ----

    /**
     * A known browser (its visitorId with the matching resume secret, in this organization) gets its own visitor
     * back; any other gets a new one, with a new anonymous client. New ones count against the address's limit.
     */
    public Session session(Organization org, SessionRequest req, String ip) {
        VisitorStore.Seen seen = new VisitorStore.Seen(clip(req.pageUrl(), 2000), clip(req.language(), 100), clip(req.userAgent(), 500));
        Optional<VisitorStore.Visitor> known = Optional.ofNullable(req.visitorId())
                .filter(id -> id.length() <= 64)
                .flatMap(store::findByPublicId)
                .filter(v -> v.organizationId() == org.id() && req.resume() != null && matches(v.resumeHash(), req.resume()));
        String resume = null;
        VisitorStore.Visitor visitor;
        if (known.isPresent()) {
            visitor = known.get();
            store.seen(visitor.id(), seen);
        } else {
            sessionsPerIp.take(ip);
            String publicId = UUID.randomUUID().toString();
            resume = randomSecret();
            String resumeHash = sha256(resume);
            visitor = db.tx(h -> {
                long clientId = chatStore.upsertClient(org.id(),
                        new ChatStore.ClientInput(Enums.Source.WIDGET, ANONYMOUS + publicId, null, null, null)).clientId();
                long id = store.create(org.id(), publicId, resumeHash, clientId, seen);
                return new VisitorStore.Visitor(id, org.id(), publicId, resumeHash, clientId, seen.pageUrl(), seen.language());
            });
        }
        return session(org, visitor, resume);
    }

    private Session session(Organization org, VisitorStore.Visitor visitor, String resume) {
        Jwts.Issued token = issue(org, visitor.id());
        Principal.Visitor p = new Principal.Visitor(visitor.id(), visitor.clientId(), org.id(), org.companyId(), org.widgetGuid(),
                token.jti(), token.expiresAt());
        ChatRef chat = chats.latestChat(p).map(c -> new ChatRef(c.id(), c.chatStatus(), c.rating() != null)).orElse(null);
        return new Session(token.token(), visitor.publicId(), resume, token.expiresAt().toString(), view(org), chat);
    }

    private Jwts.Issued issue(Organization org, long visitorId) {
        return jwts.issue(Jwts.Kind.VISITOR, visitorId, org.id(), org.companyId(), clock.instant().plus(settings.visitorTokenTtl()),
                org.widgetGuid());
    }

    /** The organization as the widget shows it; {@code online} when an operator can answer now. */
    public OrganizationView view(Organization org) {
        JsonNode pre = org.preChat();
        PreChat preChat = new PreChat(strings(pre, "fields"), strings(pre, "required"));
        return new OrganizationView(org.name(), org.greeting(), org.themeColor(), org.defaultLanguage(), preChat, online(org),
                org.offlineContact(), org.position() == null ? "right" : org.position());
    }

    /** Someone can answer: within business hours, and an Active operator of the organization is connected. */
    public boolean online(Organization org) {
        if (!BusinessHours.isOpen(org.businessHours(), clock.instant())) return false;
        return presence.anyOnline(org.id());
    }

    // ---- chats and messages ----

    /**
     * The messages of the visitor's newest chat in seq order (none without a chat): after {@code after}, or the
     * newest {@code limit} when it is null.
     */
    public List<Message> messages(Principal.Visitor v, Long after, int limit) {
        Optional<Chat> chat = chats.latestChat(v);
        if (chat.isEmpty()) return List.of();
        return chats.messages(v, chat.get().id(), after, null, limit);
    }

    /** A message from the visitor: into its current chat, or a new website chat when it has none (the last is Closed). */
    public Message send(Principal.Visitor v, String text, MediaService.Upload media, String clientKey, String ip) {
        checkText(text);
        messagesPerVisitor.take("v" + v.visitorId());
        boolean opensChat = chatStore.currentChatOf(v.clientId()).isEmpty();
        if (opensChat) chatsPerIp.take(ip);
        try {
            return chats.visitorMessage(v, false, () -> newChat(v, false), text, media, clientKey);
        } catch (RuntimeException e) {
            if (opensChat) chatsPerIp.giveBack(ip);
            throw e;
        }
    }

    /** A message left while nobody could answer: a new chat marked offline, with the visitor's contact. */
    public Message offline(Principal.Visitor v, Contact contact, String text, String ip) {
        if (contact.name() == null) throw ApiException.badRequest("name", "Field 'name' is required");
        if (contact.email() == null && contact.phone() == null) {
            throw ApiException.badRequest("email", "Give an email or a phone so that we can answer");
        }
        if (text == null || text.isBlank()) throw ApiException.badRequest("textMessage", "Field 'textMessage' is required");
        checkText(text);
        checkContact(contact);
        messagesPerVisitor.take("v" + v.visitorId());
        chatsPerIp.take(ip);
        try {
            return db.tx(h -> {
                updateContact(v, contact);
                return chats.visitorMessage(v, true, () -> newChat(v, true), text, null, null);
            });
        } catch (RuntimeException e) {
            chatsPerIp.giveBack(ip);
            throw e;
        }
    }

    private ChatStore.NewChat newChat(Principal.Visitor v, boolean offline) {
        VisitorStore.Visitor row = store.findById(v.visitorId()).orElseThrow(() -> ApiException.unauthorized("Invalid token", "unknown visitor"));
        return new ChatStore.NewChat(v.companyId(), v.organizationId(), v.clientId(), Enums.Source.WIDGET, null, row.pageUrl(),
                row.language(), offline);
    }

    private void checkText(String text) {
        if (text != null && text.length() > settings.maxText()) {
            throw ApiException.payloadTooLarge("A message is at most " + settings.maxText() + " characters");
        }
    }

    /** The visitor ends its chat (closes it). */
    public void end(Principal.Visitor v, long chatId) {
        chats.setStatus(v, chatId, Enums.ChatStatus.CLOSED);
    }

    public Chat rate(Principal.Visitor v, long chatId, int score, String comment) {
        return chats.rate(v, chatId, score, comment == null || comment.isBlank() ? null : clip(comment.strip(), 2000));
    }

    public void typing(Principal.Visitor v) {
        chatStore.currentChatOf(v.clientId()).ifPresent(chatId -> chats.typing(v, chatId));
    }

    public void read(Principal.Visitor v, long seq) {
        chats.latestChat(v).ifPresent(c -> chats.markRead(v, c.id(), seq));
    }

    /** The visitor's own chat as plain text: who wrote what, when, in seq order. */
    public String transcript(Principal.Visitor v, long chatId, Organization org) {
        Chat chat = chats.get(v, chatId);
        StringBuilder out = new StringBuilder();
        out.append(org.name()).append(" — chat ").append(chat.id()).append(", started ").append(chat.createdAt()).append("\n\n");
        long after = 0;
        while (true) {
            List<Message> page = chats.messages(v, chatId, after, null, ChatService.MAX_MESSAGES);
            for (Message m : page) {
                String who = switch (m.author()) {
                    case Enums.Author.CLIENT -> "You";
                    case Enums.Author.OPERATOR -> m.operator() == null ? "Operator" : m.operator().name();
                    case Enums.Author.BOT -> "Bot";
                    default -> "System";
                };
                out.append('[').append(m.createdAt()).append("] ").append(who).append(": ");
                if (m.message() != null) out.append(m.message());
                if (m.media() != null) out.append(m.message() == null ? "" : " ").append("(file: ").append(m.media().name()).append(')');
                out.append('\n');
            }
            if (page.size() < ChatService.MAX_MESSAGES) break;
            after = page.get(page.size() - 1).seq();
        }
        return out.toString();
    }

    // ---- contact and identity ----

    /**
     * Stores contact details (the pre-chat form, {@code setUser}). With an external id the visitor claims to be a
     * logged-in customer: only a correct {@code hash} (HMAC-SHA256 of the external id with the organization's
     * identity secret, hex) lets it write as that customer's client, with its history; a wrong or missing one is a
     * 403 and changes nothing. Answers a new session when the client changed (its token reaches the new client).
     */
    public Session contact(Principal.Visitor v, Organization org, Contact contact) {
        checkContact(contact);
        if (contact.externalId() == null) {
            if (contact.hash() != null) throw ApiException.badRequest("externalId", "A hash needs the externalId it signs");
            db.tx(h -> {
                updateContact(v, contact);
                return null;
            });
            return session(org, store.findById(v.visitorId()).orElseThrow(), null);
        }
        if (org.identitySecret() == null) {
            throw ApiException.badRequest("externalId", "This organization verifies no identities: set its identity secret first");
        }
        if (contact.externalId().length() > 190) throw ApiException.badRequest("externalId", "Field 'externalId' is longer than 190 characters");
        if (contact.hash() == null || !verify(org.identitySecret(), contact.externalId(), contact.hash())) {
            throw ApiException.forbidden("Identity verification failed: the hash does not match the externalId");
        }
        VisitorStore.Visitor changed = db.tx(h -> {
            long clientId = chatStore.upsertClient(org.id(), new ChatStore.ClientInput(Enums.Source.WIDGET,
                    VERIFIED + contact.externalId(), contact.name(), contact.phone(), contact.email())).clientId();
            store.setClient(v.visitorId(), clientId);
            return store.findById(v.visitorId()).orElseThrow();
        });
        return session(org, changed, null);
    }

    private void updateContact(Principal.Visitor v, Contact c) {
        if (c.name() == null && c.email() == null && c.phone() == null) return;
        chatStore.updateClientContact(v.clientId(), c.name(), c.phone(), c.email());
    }

    private static void checkContact(Contact c) {
        if (c.name() != null && c.name().length() > 200) throw ApiException.badRequest("name", "Field 'name' is longer than 200 characters");
        if (c.email() != null && (c.email().length() > 320 || !EMAIL.matcher(c.email()).matches())) {
            throw ApiException.badRequest("email", "'" + c.email() + "' is not an email address");
        }
        if (c.phone() != null && !PHONE.matcher(c.phone()).matches()) {
            throw ApiException.badRequest("phone", "'" + c.phone() + "' is not a phone number");
        }
    }

    /** hex(HMAC-SHA256(secret, externalId)), compared in constant time, case-insensitively. */
    static boolean verify(String secret, String externalId, String hash) {
        return MessageDigest.isEqual(hmac(secret, externalId).getBytes(StandardCharsets.US_ASCII),
                hash.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    public static String hmac(String secret, String externalId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(externalId.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    // ---- helpers ----

    private static boolean matches(String storedHash, String resume) {
        return resume.length() <= 128 && MessageDigest.isEqual(storedHash.getBytes(StandardCharsets.US_ASCII),
                sha256(resume).getBytes(StandardCharsets.US_ASCII));
    }

    private static String randomSecret() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> strings(JsonNode node, String field) {
        if (node == null || !node.has(field) || !node.get(field).isArray()) return List.of();
        return java.util.stream.StreamSupport.stream(node.get(field).spliterator(), false).map(JsonNode::asText).toList();
    }

    private static String clip(String s, int max) {
        if (s == null || s.isBlank()) return null;
        String t = s.strip();
        return t.length() <= max ? t : t.substring(0, max);
    }

    Instant now() {
        return clock.instant();
    }
}
