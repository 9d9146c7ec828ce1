package io.chathub.channel;

import io.chathub.auth.Principal;
import io.chathub.chat.ChatService;
import io.chathub.chat.ChatStore;
import io.chathub.chat.Enums;
import io.chathub.chat.Message;
import io.chathub.chat.MessageWriter;
import io.chathub.config.Config;
import io.chathub.db.Database;
import io.chathub.media.MediaService;
import io.chathub.organization.Organization;
import io.chathub.organization.OrganizationService;
import io.chathub.web.ApiException;
import io.chathub.web.JsonBody;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Messenger channels: connecting a company's bots and numbers to organizations (credentials checked with the messenger,
 * sealed at rest, the webhook registered), their callbacks (verified, then turned into customers' messages, statuses
 * and subscriptions), and the durable delivery of the replies ({@link ChannelOutbox}, {@link ChannelSender}).
 */
public final class ChannelService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelService.class);

    /** A channel as the API shows it: never its credentials. */
    public record View(long id, String type, long organizationId, String status, String webhookUrl, String name,
                       String avatar, String externalId, String createdAt, String updatedAt) {}

    /** What a create or update request gives besides the credentials. */
    public record Input(String type, String name, String avatar, boolean hasName, boolean hasAvatar, JsonBody body) {}

    private final ChannelStore store;
    private volatile io.chathub.audit.AuditLog audit;
    private final Map<String, Messenger> messengers;
    private final CredentialBox box;
    private final OrganizationService organizations;
    private final ChatService chats;
    private final MediaService media;
    private final MessageWriter writer;
    private final Config.ChannelSettings settings;
    private final Clock clock;
    private final MediaLinks links;
    private final ChannelOutbox outbox;
    private final ChannelSender sender;

    public ChannelService(ChannelStore store, List<Messenger> messengers, CredentialBox box, OrganizationService organizations,
                          ChatService chats, ChatStore chatStore, MediaService media, MessageWriter writer, Database db,
                          Config.ChannelSettings settings, String nodeId, Clock clock, MeterRegistry metrics) {
        this.store = store;
        var byType = new LinkedHashMap<String, Messenger>();
        for (Messenger m : messengers) byType.put(m.type(), m);
        this.messengers = Map.copyOf(byType);
        this.box = box;
        this.organizations = organizations;
        this.chats = chats;
        this.media = media;
        this.writer = writer;
        this.settings = settings;
        this.clock = clock;
        this.links = new MediaLinks(box, clock);
        this.sender = new ChannelSender(store, chatStore, chats, writer, media, links, settings.publicUrl(), this::open, clock,
                db.kind() == Database.Kind.POSTGRES, nodeId, metrics);
        this.outbox = new ChannelOutbox(store, chatStore, this.messengers, db, clock, sender::wake);
    }

    /** The hook that puts channel chats' replies into the outbox (for {@link ChatService#appendListener}). */
    public ChatService.AppendListener appendListener() {
        return outbox;
    }

    /** Starts delivering the outbox (what a previous run left included). */
    public void start() {
        sender.start();
    }

    // ---- the channels API

    /** Records the channels' changes in the company's audit log (set once, at wiring). */
    public void audit(io.chathub.audit.AuditLog audit) {
        this.audit = audit;
    }

    private void audited(Principal.Company company, String action, Channel channel, String detail) {
        if (audit != null) audit.record(company, action, "channel", channel.id(), channel.type() + " " + detail);
    }

    public View create(Principal.Company company, long organizationId, Input in) {
        organizations.get(company, organizationId);
        String publicUrl = requirePublicUrl();
        Messenger messenger = messenger(in.type());
        Messenger.Credentials credentials = messenger.credentials(in.body(), true);
        Messenger.Account account = messenger.verify(credentials);
        String name = in.hasName() ? checkName(in.name()) : account.name();
        if (name == null || name.isBlank()) throw ApiException.badRequest("name", "Field 'name' is required");
        String avatar = in.hasAvatar() ? checkAvatar(in.avatar()) : null;
        // Stored first (pending): Viber calls the webhook back while set_webhook is still running.
        Channel channel = store.create(company.companyId(), organizationId, messenger.type(), name, avatar, account.externalId(),
                box.seal(messenger.type(), credentials));
        try {
            Messenger.Credentials kept = messenger.register(channel, credentials, webhookUrl(publicUrl, channel));
            store.update(channel.id(), name, avatar, account.externalId(), box.seal(messenger.type(), kept));
            store.setStatus(channel.id(), Channel.ACTIVE);
        } catch (RuntimeException e) {
            store.delete(channel.id());
            throw e;
        }
        log.info("channel_created id={} type={} organization={}", channel.id(), channel.type(), organizationId);
        audited(company, "channel.create", channel, name);
        return view(store.find(channel.id()).orElseThrow());
    }

    public List<View> list(Principal.Company company, long organizationId) {
        organizations.get(company, organizationId);
        return store.listByOrganization(organizationId).stream().map(this::view).toList();
    }

    public View get(Principal.Company company, long organizationId, long channelId) {
        return view(owned(company, organizationId, channelId));
    }

    /** Changes the name or avatar; credentials given are checked with the messenger and the webhook registered again. */
    public View update(Principal.Company company, long organizationId, long channelId, Input in) {
        Channel channel = owned(company, organizationId, channelId);
        Messenger messenger = messenger(channel.type());
        if (in.type() != null && !in.type().equalsIgnoreCase(channel.type())) {
            throw ApiException.badRequest("type", "A channel's type cannot change; connect a new channel instead");
        }
        String name = in.hasName() ? checkName(in.name()) : channel.name();
        String avatar = in.hasAvatar() ? checkAvatar(in.avatar()) : channel.avatar();
        Messenger.Credentials credentials = messenger.credentials(in.body(), false);
        String sealed = null;
        String externalId = channel.externalId();
        if (credentials != null) {
            String publicUrl = requirePublicUrl();
            Messenger.Account account = messenger.verify(credentials);
            externalId = account.externalId();
            Messenger.Credentials previous = credentials(channel);
            sealed = box.seal(messenger.type(), messenger.register(channel, credentials, webhookUrl(publicUrl, channel)));
            if (channel.externalId() != null && !channel.externalId().equals(externalId)) {
                // another bot or number now: the previous one's webhook would still point here
                try {
                    messenger.unregister(channel, previous);
                } catch (RuntimeException e) {
                    log.warn("channel {}: removing the previous account's webhook failed: {}", channel.id(), e.getClass().getSimpleName());
                }
            }
        }
        if (name == null || name.isBlank()) throw ApiException.badRequest("name", "Field 'name' must not be blank");
        store.update(channel.id(), name, avatar, externalId, sealed);
        if (credentials != null) store.setStatus(channel.id(), Channel.ACTIVE);
        audited(company, "channel.update", channel, name + (credentials != null ? ", new credentials" : ""));
        return view(store.find(channel.id()).orElseThrow());
    }

    /**
     * Unregisters the webhook (best effort) and deletes the channel; its messages still waiting become Rejected. Its
     * chats stay, without a channel.
     */
    public void delete(Principal.Company company, long organizationId, long channelId) {
        Channel channel = owned(company, organizationId, channelId);
        Messenger messenger = messenger(channel.type());
        try {
            messenger.unregister(channel, credentials(channel));
        } catch (RuntimeException e) {
            log.warn("channel {}: removing its {} webhook failed: {}", channel.id(), channel.type(), e.getClass().getSimpleName());
        }
        writer.write(() -> {
            for (long messageId : store.waitingMessages(channel.id())) {
                chats.deliveryStatus(messageId, Enums.MessageStatus.REJECTED, "The channel was deleted before it was delivered");
            }
            store.delete(channel.id());
            return null;
        });
        log.info("channel_deleted id={} type={}", channel.id(), channel.type());
        audited(company, "channel.delete", channel, channel.name());
    }

    /** Before its organization is deleted (with its channels): removes every channel's webhook, best effort. */
    public void organizationDeleted(long organizationId) {
        for (Channel channel : store.listByOrganization(organizationId)) {
            Messenger messenger = messengers.get(channel.type());
            if (messenger == null) continue;
            try {
                messenger.unregister(channel, credentials(channel));
            } catch (RuntimeException e) {
                log.warn("channel {}: removing its {} webhook failed: {}", channel.id(), channel.type(), e.getClass().getSimpleName());
            }
        }
    }

    /** The channel, if it is this company's and under this organization: 403 for another company's, 404 for none. */
    private Channel owned(Principal.Company company, long organizationId, long channelId) {
        organizations.get(company, organizationId);
        Channel channel = store.find(channelId).orElseThrow(() -> ApiException.notFound("Channel " + channelId + " not found"));
        if (channel.companyId() != company.companyId()) throw ApiException.forbidden("Channel " + channelId + " belongs to another company");
        if (channel.organizationId() != organizationId) {
            throw ApiException.notFound("Channel " + channelId + " not found in organization " + organizationId);
        }
        return channel;
    }

    private String requirePublicUrl() {
        if (settings.publicUrl() == null) {
            throw ApiException.badRequest("CHATHUB_PUBLIC_URL is not set: messengers need this server's public https URL to"
                    + " send it their webhooks. Set CHATHUB_PUBLIC_URL (e.g. https://chathub.example.com) and restart");
        }
        return settings.publicUrl();
    }

    private Messenger messenger(String type) {
        if (type == null || type.isBlank()) throw ApiException.badRequest("type", "Field 'type' is required: one of " + messengers.keySet());
        Messenger m = messengers.get(type.strip().toLowerCase(java.util.Locale.ROOT));
        if (m == null) throw ApiException.badRequest("type", "Field 'type' must be one of " + messengers.keySet() + ", got '" + type + "'");
        return m;
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) return null;
        String n = name.strip();
        if (n.length() > 200) throw ApiException.badRequest("name", "Field 'name' is longer than 200 characters");
        return n;
    }

    private static String checkAvatar(String avatar) {
        if (avatar == null || avatar.isBlank()) return null;
        String a = avatar.strip();
        if (a.length() > 2000 || !(a.startsWith("https://") || a.startsWith("http://"))) {
            throw ApiException.badRequest("avatar", "Field 'avatar' must be an http(s) URL of an image");
        }
        return a;
    }

    private static String label(Messenger m) {
        return ChannelOutbox.label(m);
    }

    static String webhookPath(Channel channel) {
        return "/api/channels/" + channel.type() + "/" + channel.id() + "/webhook";
    }

    private static String webhookUrl(String publicUrl, Channel channel) {
        return publicUrl + webhookPath(channel);
    }

    private View view(Channel c) {
        return new View(c.id(), c.type(), c.organizationId(), c.status(),
                settings.publicUrl() == null ? null : webhookUrl(settings.publicUrl(), c), c.name(), c.avatar(), c.externalId(),
                Instant.ofEpochMilli(c.createdAt()).toString(), Instant.ofEpochMilli(c.updatedAt()).toString());
    }

    private Messenger.Credentials credentials(Channel channel) {
        String sealed = store.credentials(channel.id()).orElseThrow(() -> ApiException.notFound("Channel " + channel.id() + " not found"));
        return open(channel, sealed);
    }

    /** Opened credentials, kept while the sealed value stays the same (a change of credentials seals a new one). */
    private record Opened(String sealed, Messenger.Credentials credentials) {}

    private final Map<Long, Opened> opened = new java.util.concurrent.ConcurrentHashMap<>();

    private Messenger.Credentials open(Channel channel, String sealed) {
        Opened known = opened.get(channel.id());
        if (known != null && known.sealed().equals(sealed)) return known.credentials();
        Messenger.Credentials credentials = box.open(channel.type(), sealed);
        if (opened.size() > 10_000) opened.clear();
        opened.put(channel.id(), new Opened(sealed, credentials));
        return credentials;
    }

    /** A channel ready to send, for the sender. */
    private Optional<ChannelSender.Open> open(long channelId) {
        return store.findSealed(channelId).flatMap(found -> {
            Channel c = found.channel();
            Messenger m = messengers.get(c.type());
            if (m == null) return Optional.empty();
            return Optional.of(new ChannelSender.Open(c, m, open(c, found.credentials())));
        });
    }

    // ---- callbacks

    /**
     * A messenger's callback to {@code /api/channels/{type}/{cid}/webhook}: 404 for no such channel, 401 (and nothing
     * changed) when it is not verified; else its events are stored before the answer, so a failure (500) makes the
     * messenger deliver it again, and a redelivery changes nothing.
     */
    public Messenger.Reply webhook(String type, long channelId, Messenger.WebhookRequest request) {
        ChannelStore.Sealed found = store.findSealed(channelId).filter(c -> c.channel().type().equals(type))
                .orElseThrow(() -> ApiException.notFound("No " + type + " channel " + channelId));
        Channel channel = found.channel();
        Messenger messenger = messengers.get(channel.type());
        if (messenger == null) throw ApiException.notFound("No " + type + " channel " + channelId);
        Messenger.Credentials credentials = open(channel, found.credentials());
        Messenger.Callback callback;
        try {
            callback = messenger.parse(channel, credentials, request);
        } catch (Messenger.Unauthorized e) {
            log.info("channel_webhook_refused channel={} type={} reason={}", channel.id(), channel.type(), e.getMessage());
            throw ApiException.unauthorized("The callback is not signed by " + label(messenger) + " for this channel");
        }
        Messenger.Reply reply = callback.reply();
        for (Messenger.Inbound event : callback.events()) {
            Messenger.Reply r = handle(channel, messenger, credentials, event);
            if (r != null) reply = r;
        }
        return reply;
    }

    private Messenger.Reply handle(Channel channel, Messenger messenger, Messenger.Credentials credentials, Messenger.Inbound event) {
        switch (event) {
            case Messenger.Inbound.Message m -> message(channel, messenger, credentials, m);
            case Messenger.Inbound.Status s -> store.messageByExternalId(channel.id(), s.externalId())
                    .ifPresent(messageId -> chats.deliveryStatus(messageId, s.status(), s.reason()));
            case Messenger.Inbound.Subscribed s -> store.subscribed(channel.id(), s.peerId(), true);
            case Messenger.Inbound.Started s -> {
                Organization org = organizations.byId(channel.organizationId());
                return org.greeting() == null ? null : messenger.welcome(channel, org.greeting());
            }
            case Messenger.Inbound.Unsubscribed u -> store.subscribed(channel.id(), u.peerId(), false);
        }
        return null;
    }

    private void message(Channel channel, Messenger messenger, Messenger.Credentials credentials, Messenger.Inbound.Message m) {
        String text = m.text();
        Message.Media stored = null;
        if (m.media() != null) {
            try {
                Messenger.Download file = messenger.download(credentials, m.media());
                stored = media.store(new MediaService.Upload(file.name(), file.mimeType(), null, file.data()));
            } catch (ApiException | MessengerHttp.TooLarge e) {
                text = join(text, m.fallback() + " (not stored: " + (e instanceof ApiException a ? a.detail() : "larger than "
                        + media.maxBytes() + " bytes") + ")");
            } catch (IOException | Messenger.MessengerException e) {
                log.warn("channel {}: fetching a file from {} failed: {}", channel.id(), channel.type(),
                        e instanceof IOException io ? MessengerHttp.describe(io, credentials) : MessengerHttp.redact(e.getMessage(), credentials));
                text = join(text, m.fallback() + " (could not be fetched from " + label(messenger) + ")");
            }
        }
        if ((text == null || text.isBlank()) && stored == null) text = m.fallback();
        if ((text == null || text.isBlank()) && stored == null) return;
        if (text != null && text.length() > ChatService.MAX_TEXT) text = text.substring(0, ChatService.MAX_TEXT);
        long now = clock.millis();
        long sentAt = m.sentAt() > 0 && m.sentAt() < now ? m.sentAt() : now;
        var customer = m.customer();
        var client = new ChatStore.ClientInput(messenger.source(), customer.id(), clip(customer.name(), 200),
                clip(customer.phone(), 64), null);
        // The messenger's key is unique within the channel (Telegram's update_id counts per bot): with the channel's id it
        // is unique within the organization, whose clients may write through several channels.
        String key = m.key() + "@" + channel.id();
        chats.channelIncoming(new ChatService.ChannelIncoming(channel.companyId(), channel.organizationId(), client, text, stored,
                key, chatId -> {
                    store.linkChat(chatId, channel.id(), m.peerId());
                    store.inbound(channel.id(), m.peerId(), sentAt);
                }));
    }

    private static String join(String a, String b) {
        if (a == null || a.isBlank()) return b;
        return a + "\n" + b;
    }

    private static String clip(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    // ---- signed media links

    /** The file behind a signed media link of this channel; 404 for a bad, expired or foreign link. */
    public MediaService.StoredFile publicMedia(String type, long channelId, String hash, String exp, String sig) {
        if (!links.valid(type, channelId, hash, exp, sig) || store.find(channelId).filter(c -> c.type().equals(type)).isEmpty()) {
            throw ApiException.notFound("No such file");
        }
        return media.find(hash).orElseThrow(() -> ApiException.notFound("No such file"));
    }

    @Override
    public void close() {
        sender.close();
    }
}
