package io.chathub.chat;

import io.chathub.auth.Principal;
import io.chathub.chat.Enums.Author;
import io.chathub.chat.Enums.ChatStatus;
import io.chathub.db.Database;
import io.chathub.events.Event;
import io.chathub.events.EventPublisher;
import io.chathub.media.MediaService;
import io.chathub.operator.Operator;
import io.chathub.operator.OperatorStore;
import io.chathub.organization.OrganizationService;
import io.chathub.web.ApiException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chats and messages: the rules (who may see and change what, status transitions, ordering,
 * idempotent sends) and the events they cause, published after commit.
 */
public final class ChatService {
    public static final int MAX_TEXT = 10_000;
    public static final int MAX_PAGE = 100;
    public static final int MAX_MESSAGES = 1_000;
    private static final int MAX_CACHED_SCOPES = 50_000;

    /** An outgoing message as a request gave it; {@code media} null for text. */
    public record Outgoing(String text, Integer author, MediaService.Upload media, String clientKey) {}

    /** A message from a customer coming from outside (SPEC: POST /api/chat/incoming). */
    public record Incoming(long organizationId, int source, ChatStore.ClientInput client, String text,
                           MediaService.Upload media, String theme, String clientKey) {}

    /**
     * A customer's message that a messenger channel received and verified: for the channel's organization, its media
     * already stored; {@code clientKey} the messenger's own id of the update (redelivery is idempotent);
     * {@code inChat} runs in the message's transaction with the chat it went to (the channel links the chat to itself).
     */
    public record ChannelIncoming(long companyId, long organizationId, ChatStore.ClientInput client, String text,
                                  Message.Media media, String clientKey, java.util.function.LongConsumer inChat) {}

    /**
     * Follows the messages appended to chats, inside the append's transaction (the messenger channels' outbox, wired
     * in {@link io.chathub.ChatHub}). It sees every operator, bot and system message; it may refuse one with an
     * {@link ApiException} (which rolls the message back), and returns the message as it is to be announced.
     */
    public interface AppendListener {
        Message appended(ChatStore.Appended appended);

        /** The status a new operator, bot or system message of a chat with this source is stored with (1 Success by default). */
        default int initialStatus(int source) {
            return Enums.MessageStatus.SUCCESS;
        }
    }

    private final ChatStore store;
    private final OperatorStore operators;
    private final OrganizationService organizations;
    private final MediaService media;
    private final MessageWriter writer;
    private final EventPublisher events;
    private final Database db;
    private Router router;
    private AppendListener appendListener;
    /** chatId → scope, for the visibility check of every send; bounded, least recently used out first. */
    private final Map<Long, ChatStore.Scope> scopes = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ChatStore.Scope> eldest) {
            return size() > MAX_CACHED_SCOPES;
        }
    });

    public ChatService(ChatStore store, OperatorStore operators, OrganizationService organizations, MediaService media,
                       MessageWriter writer, EventPublisher events, Database db) {
        this.store = store;
        this.operators = operators;
        this.organizations = organizations;
        this.media = media;
        this.writer = writer;
        this.events = events;
        this.db = db;
    }

    private io.chathub.audit.AuditLog audit;

    /** Records deletions in the company's audit log (set once, at wiring). */
    public void audit(io.chathub.audit.AuditLog audit) {
        this.audit = audit;
    }

    public void router(Router router) {
        this.router = router;
    }

    public void appendListener(AppendListener listener) {
        this.appendListener = listener;
    }

    // ---- reading ----

    public ChatStore.Page list(Principal p, ChatStore.ChatQuery query) {
        staffOnly(p);
        Long org = query.organizationId();
        if (p instanceof Principal.Operator op) {
            if (org != null && org != op.organizationId()) throw ApiException.forbidden("Organization " + org + " is not yours");
            org = op.organizationId();
        } else if (org != null) {
            organizations.get(p, org);
        }
        return store.listChats(new ChatStore.ChatQuery(p.companyId(), org, query.operatorId(), query.status(),
                query.source(), query.search(), query.phone(), query.dateFrom(), query.dateTo(), query.page(), query.perPage(),
                query.telegramUserId()));
    }

    /** The chat if the principal may see it: 404 if none, 403 if another tenant's. */
    public Chat get(Principal p, long chatId) {
        Chat chat = store.findChat(chatId).orElseThrow(() -> ApiException.notFound("Chat " + chatId + " not found"));
        checkVisible(p, chat);
        return chat;
    }

    /** A website visitor sees only the chats of the client it writes as, in its own organization. */
    private static void checkVisible(Principal p, Chat chat) {
        if (p instanceof Principal.Visitor v) {
            if (chat.client().id() != v.clientId() || chat.organizationId() != v.organizationId()) {
                throw ApiException.notFound("Chat " + chat.id() + " not found"); // not even whether it exists
            }
            return;
        }
        checkVisible(p, new ChatStore.Scope(chat.id(), chat.companyId(), chat.organizationId()));
    }

    /** The calls only a company or an operator makes (a visitor has its own, below). */
    private static void staffOnly(Principal p) {
        if (p instanceof Principal.Visitor) throw ApiException.forbidden("This call needs a company or operator token");
    }

    /** Messages after {@code after} (oldest first), or before {@code before} (the page just older than it). */
    public List<Message> messages(Principal p, long chatId, Long after, Long before, int limit) {
        get(p, chatId);
        boolean notes = !(p instanceof Principal.Visitor); // a customer never sees the staff's notes
        if (before != null) return store.messagesBefore(chatId, before, limit, notes);
        if (after == null) return store.messagesBefore(chatId, Long.MAX_VALUE, limit, notes); // no cursor: the newest
        return store.messages(chatId, after, limit, notes);
    }

    /**
     * A private note in the chat's history, for staff only: an operator of the chat's organization writes as itself, a
     * company credential as System. It changes neither the chat's status nor its assignment, may be added to a Closed
     * chat, and is announced to the organization's staff only: not to the customer, a messenger channel or webhooks.
     */
    public Message note(Principal p, long chatId, String text) {
        staffOnly(p);
        if (text == null || text.isBlank()) throw ApiException.badRequest("text", "Field 'text' must not be blank");
        if (text.length() > MAX_TEXT) throw ApiException.badRequest("text", "Field 'text' is longer than " + MAX_TEXT + " characters");
        checkVisible(p, scope(chatId));
        Long operatorId = p instanceof Principal.Operator op ? op.operatorId() : null;
        int author = operatorId != null ? Author.OPERATOR : Author.SYSTEM;
        return writer.write(() -> {
            var appended = store.appendMessage(new ChatStore.NewMessage(chatId, author, text, null, operatorId, null, true))
                    .orElseThrow(() -> ApiException.notFound("Chat " + chatId + " not found"));
            Message note = appended.message();
            events.publishAfterCommit(Event.forOrganization(appended.companyId(), appended.organizationId(), "ReceiveMessage", note));
            return note;
        });
    }

    // ---- writing ----

    /** A message from an operator (operator token) or from the company's own integration (company token). */
    public Message send(Principal p, long chatId, Outgoing out) {
        staffOnly(p);
        int author = checkAuthor(p, out.author());
        checkContent(out.text(), out.media() != null);
        if (out.media() != null) {
            // Checked in full before the file is stored; a text message is checked by the append itself.
            if (get(p, chatId).isClosed()) throw ApiException.conflict("chatId", "Chat " + chatId + " is closed");
        } else {
            checkVisible(p, scope(chatId));
        }
        Long operatorId = p instanceof Principal.Operator op ? op.operatorId() : null;
        if (out.clientKey() != null) {
            Optional<Message> earlier = store.findMessageByClientKey(chatId, out.clientKey());
            if (earlier.isPresent()) return earlier.get();
        }
        Message.Media stored = out.media() == null ? null : media.store(out.media());
        return writer.write(() -> append(chatId, new ChatStore.NewMessage(chatId, author, blankToNull(out.text()), stored,
                operatorId, out.clientKey())));
    }

    /** The chat's company and organization, which never change: kept after the first read. */
    private ChatStore.Scope scope(long chatId) {
        ChatStore.Scope known = scopes.get(chatId);
        if (known != null) return known;
        ChatStore.Scope read = store.findScope(chatId).orElseThrow(() -> ApiException.notFound("Chat " + chatId + " not found"));
        scopes.put(chatId, read);
        return read;
    }

    private static void checkVisible(Principal p, ChatStore.Scope chat) {
        staffOnly(p);
        if (chat.companyId() != p.companyId()
                || (p instanceof Principal.Operator op && op.organizationId() != chat.organizationId())) {
            throw ApiException.forbidden("Chat " + chat.chatId() + " belongs to another organization or company");
        }
    }

    private static int checkAuthor(Principal p, Integer requested) {
        if (p instanceof Principal.Operator) {
            if (requested != null && requested != Author.OPERATOR) {
                throw ApiException.badRequest("author", "An operator token sends as author 0 (Operator)");
            }
            return Author.OPERATOR;
        }
        int author = requested == null ? Author.OPERATOR : requested;
        if (author < Author.OPERATOR || author > Author.SYSTEM) throw ApiException.badRequest("author", "Field 'author' must be 0..3");
        return author;
    }

    private static void checkContent(String text, boolean hasMedia) {
        if ((text == null || text.isBlank()) && !hasMedia) {
            throw ApiException.badRequest("textMessage", "A message needs text or media");
        }
        if (text != null && text.length() > MAX_TEXT) {
            throw ApiException.badRequest("textMessage", "Text is longer than " + MAX_TEXT + " characters");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * Inside the writer's transaction: appends, moves the status on, and queues the events. The chat's
     * status and operator come from the append, under its row lock: what the request may have read before
     * its write was queued may be stale (an earlier write of the same batch, or a concurrent status change
     * or assignment, may have changed them).
     */
    private Message append(long chatId, ChatStore.NewMessage m) {
        return append(chatId, m, false);
    }

    /** {@code keyChecked}: the caller looked the client key up already (a messenger's message, in all the client's chats). */
    private Message append(long chatId, ChatStore.NewMessage m, boolean keyChecked) {
        if (m.clientKey() != null && !keyChecked) {
            Optional<Message> earlier = store.findMessageByClientKey(m.chatId(), m.clientKey());
            if (earlier.isPresent()) return earlier.get();
        }
        AppendListener listener = appendListener;
        var appended = (listener == null || m.author() == Author.CLIENT ? store.appendMessage(m)
                : store.appendMessage(m, listener::initialStatus))
                .orElseThrow(() -> ApiException.notFound("Chat " + chatId + " not found"));
        if (appended.chatStatus() == ChatStatus.CLOSED) throw ApiException.conflict("chatId", "Chat " + chatId + " is closed");
        if (m.operatorId() != null && appended.operatorId() == null) {
            store.assign(chatId, m.operatorId()); // replying to a queued chat takes it
            announceAssigned(chatId);
        }
        int status = nextStatusOnMessage(appended.chatStatus(), m.author());
        if (status != appended.chatStatus()) {
            store.setStatus(chatId, status);
            events.publishAfterCommit(Event.forChat(appended.companyId(), appended.organizationId(), appended.clientId(),
                    "ChatStatusChanged", chatId, status));
        }
        Message message = appended.message();
        if (listener != null && m.author() != Author.CLIENT) message = listener.appended(appended);
        events.publishAfterCommit(Event.forChat(appended.companyId(), appended.organizationId(), appended.clientId(),
                message.hasMedia() ? "ReceiveMediaMessage" : "ReceiveMessage", message));
        return message;
    }

    /** An operator's reply opens a New chat; a client's reply re-opens one that was Waiting for it. */
    static int nextStatusOnMessage(int status, int author) {
        if (author == Author.OPERATOR && status == ChatStatus.NEW) return ChatStatus.OPEN;
        if (author == Author.CLIENT && status == ChatStatus.WAITING) return ChatStatus.OPEN;
        return status;
    }

    /** A customer's message: continues the client's current chat in the organization or opens a new one. */
    public Message incoming(Principal.Company company, Incoming in) {
        organizations.get(company, in.organizationId());
        checkContent(in.text(), in.media() != null);
        Message.Media stored = in.media() == null ? null : media.store(in.media());
        return writer.write(() -> {
            ChatStore.ClientState client = store.upsertClient(in.organizationId(), in.client());
            return appendIncoming(company.companyId(), in.organizationId(), client, in.source(), in.theme(), in.text(), stored,
                    in.clientKey(), null);
        });
    }

    /**
     * A customer's message from a messenger channel: the same rules as {@link #incoming} (the client's current chat, or a
     * new one when it has none or its last is Closed). A redelivered update (a client key the client has used in any of
     * its chats) returns the message stored the first time and changes nothing.
     */
    public Message channelIncoming(ChannelIncoming in) {
        checkContent(in.text(), in.media() != null);
        return writer.write(() -> {
            ChatStore.ClientState client = store.upsertClient(in.organizationId(), in.client());
            Optional<Message> earlier = store.findClientMessageByKey(client.clientId(), in.clientKey());
            if (earlier.isPresent()) return earlier.get();
            return appendIncoming(in.companyId(), in.organizationId(), client, in.client().source(), null, in.text(), in.media(),
                    in.clientKey(), in.inChat());
        });
    }

    /** Inside the writer's transaction: into the client's current chat, or a new one (announced and routed). */
    private Message appendIncoming(long companyId, long organizationId, ChatStore.ClientState client, int source, String theme,
                                   String text, Message.Media stored, String clientKey, java.util.function.LongConsumer inChat) {
        long chatId;
        if (client.currentChatId() != null) {
            chatId = client.currentChatId();
        } else {
            chatId = store.createChat(new ChatStore.NewChat(companyId, organizationId, client.clientId(), source, theme, null,
                    null, false));
        }
        if (inChat != null) inChat.accept(chatId);
        if (client.currentChatId() == null) {
            Chat chat = store.findChat(chatId).orElseThrow();
            events.publishAfterCommit(Event.forOrganization(chat.companyId(), chat.organizationId(), "ChatCreated", chat));
            db.afterCommit(() -> rebalance(chat.organizationId()));
        }
        return append(chatId, new ChatStore.NewMessage(chatId, Author.CLIENT, blankToNull(text), stored, null, clientKey),
                inChat != null);
    }

    /**
     * A messenger's word on a message it was given (the channel's sender, or a status callback): 1 Success (accepted),
     * 2 Rejected with the reason, 3 Read. A status moves only forward (nothing leaves Read or Rejected; Rejected may
     * follow Success, when a messenger fails a message it had accepted); a change is announced with
     * {@code MessageStatusChanged} after commit. Goes through the message writer (group commit), or joins the caller's
     * transaction.
     */
    public boolean deliveryStatus(long messageId, int status, String reason) {
        int[] from = switch (status) {
            case Enums.MessageStatus.SUCCESS -> new int[] {Enums.MessageStatus.NEW};
            case Enums.MessageStatus.REJECTED, Enums.MessageStatus.READ -> new int[] {Enums.MessageStatus.NEW, Enums.MessageStatus.SUCCESS};
            default -> throw new IllegalArgumentException("no delivery status " + status);
        };
        String why = status == Enums.MessageStatus.REJECTED ? clip(reason == null ? "Rejected" : reason, 500) : null;
        return writer.write(() -> {
            Optional<ChatStore.StatusChange> changed = store.setMessageStatus(messageId, status, why, from);
            changed.ifPresent(c -> events.publishAfterCommit(Event.forChat(c.companyId(), c.organizationId(), c.clientId(),
                    "MessageStatusChanged", messageId, status)));
            return changed.isPresent();
        });
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /**
     * A website visitor's message: into the visitor's current chat, or a new chat with the facts {@code newChat} gives
     * (read only then) when it has none (its last one is Closed). Offline messages always open a new chat marked offline.
     */
    public Message visitorMessage(Principal.Visitor v, boolean offline, java.util.function.Supplier<ChatStore.NewChat> newChatFacts,
                                  String text, MediaService.Upload upload, String clientKey) {
        checkContent(text, upload != null);
        Message.Media stored = upload == null ? null : media.store(upload);
        return writer.write(() -> {
            Optional<Long> current = offline ? Optional.empty() : store.currentChatOf(v.clientId());
            long chatId;
            if (current.isPresent()) {
                chatId = current.get();
            } else {
                chatId = store.createChat(newChatFacts.get());
                Chat chat = store.findChat(chatId).orElseThrow();
                events.publishAfterCommit(Event.forOrganization(chat.companyId(), chat.organizationId(), "ChatCreated", chat));
                if (!chat.offline()) db.afterCommit(() -> rebalance(chat.organizationId()));
            }
            return append(chatId, new ChatStore.NewMessage(chatId, Author.CLIENT, blankToNull(text), stored, null, clientKey));
        });
    }

    /** The visitor's newest chat (any status), if it has one. */
    public Optional<Chat> latestChat(Principal.Visitor v) {
        return store.latestChatOf(v.clientId());
    }

    /** The customer rates its Closed chat, once: 1..5 and an optional comment. */
    public Chat rate(Principal.Visitor v, long chatId, int score, String comment) {
        if (score < 1 || score > 5) throw ApiException.badRequest("score", "Field 'score' must be 1..5");
        return db.tx(h -> {
            Chat chat = get(v, chatId);
            if (!chat.isClosed()) throw ApiException.conflict("chatId", "Chat " + chatId + " is not closed yet");
            if (!store.rate(chatId, score, comment)) throw ApiException.conflict("chatId", "Chat " + chatId + " is rated already");
            Chat rated = store.findChat(chatId).orElseThrow();
            events.publishAfterCommit(Event.forChat(rated.companyId(), rated.organizationId(), rated.client().id(), "ChatRated", rated));
            return rated;
        });
    }

    public void setStatus(Principal p, long chatId, int status) {
        if (!ChatStatus.valid(status)) throw ApiException.badRequest("status", "Field 'status' must be 0..4");
        if (p instanceof Principal.Visitor && status != ChatStatus.CLOSED) {
            throw ApiException.forbidden("A visitor can only end (close) its chat");
        }
        if (status == ChatStatus.NEW) throw ApiException.badRequest("status", "A chat cannot be set back to New");
        db.tx(h -> {
            Chat chat = get(p, chatId);
            if (chat.chatStatus() == status) return null;
            if (chat.isClosed()) throw ApiException.conflict("status", "Chat " + chatId + " is closed");
            store.setStatus(chatId, status);
            if (status != ChatStatus.CLOSED && chat.operator() == null && p instanceof Principal.Operator op) {
                store.assign(chatId, op.operatorId());
                announceAssigned(chatId);
            }
            events.publishAfterCommit(Event.forChat(chat.companyId(), chat.organizationId(), chat.client().id(),
                    "ChatStatusChanged", chatId, status));
            if (status == ChatStatus.CLOSED) db.afterCommit(() -> rebalance(chat.organizationId()));
            return null;
        });
    }

    /**
     * Assigns the chat: an operator takes it ({@code operatorId} = itself or null) or transfers it to
     * another operator of the organization; a company assigns anyone of the organization. {@code 0}
     * puts it back in the queue.
     */
    public Chat assign(Principal p, long chatId, Long operatorId) {
        staffOnly(p);
        Chat result = db.tx(h -> {
            Chat chat = get(p, chatId);
            if (chat.isClosed()) throw ApiException.conflict("chatId", "Chat " + chatId + " is closed");
            Long target = operatorId;
            if (target == null) {
                if (!(p instanceof Principal.Operator op)) throw ApiException.badRequest("operatorId", "Field 'operatorId' is required");
                target = op.operatorId();
            }
            if (target == 0) {
                store.assign(chatId, null);
            } else {
                Operator to = operators.findById(target)
                        .filter(o -> o.organization().id() == chat.organizationId())
                        .orElseThrow(() -> ApiException.badRequest("operatorId", "No operator " + operatorId + " in this chat's organization"));
                if (!to.isActive()) throw ApiException.badRequest("operatorId", "Operator " + to.id() + " is not active");
                store.assign(chatId, to.id());
            }
            announceAssigned(chatId);
            if (chat.operator() != null) db.afterCommit(() -> rebalance(chat.organizationId()));
            return store.findChat(chatId).orElseThrow();
        });
        if (operatorId != null && operatorId == 0) rebalance(result.organizationId());
        return result;
    }

    /**
     * Called by the router inside its pass's transaction: assigns a queued chat if it is still unassigned, and tells
     * everyone after commit; true if it did.
     */
    public boolean routeTo(long chatId, long operatorId) {
        return db.tx(h -> {
            if (!store.assignIfUnassigned(chatId, operatorId)) return false;
            announceAssigned(chatId);
            return true;
        });
    }

    private void announceAssigned(long chatId) {
        Chat chat = store.findChat(chatId).orElseThrow();
        events.publishAfterCommit(Event.forChat(chat.companyId(), chat.organizationId(), chat.client().id(), "ChatAssigned", chat));
    }

    /** Read marker: an operator (or the company) has read the client's messages up to {@code seq}. */
    public void markRead(Principal p, long chatId, long seq) {
        if (seq < 0) throw ApiException.badRequest("seq", "Field 'seq' must not be negative");
        db.tx(h -> {
            Chat chat = get(p, chatId);
            List<Long> read = p instanceof Principal.Visitor ? store.markReadByClient(chatId, seq) : store.markReadByOperator(chatId, seq);
            for (long messageId : read) {
                events.publishAfterCommit(Event.forChat(chat.companyId(), chat.organizationId(), chat.client().id(),
                        "MessageStatusChanged", messageId, Enums.MessageStatus.READ));
            }
            return null;
        });
    }

    /** Typing is not stored: it goes straight to the organization's other connections. */
    public void typing(Principal p, long chatId) {
        Chat chat = get(p, chatId);
        int author = switch (p) {
            case Principal.Operator o -> Author.OPERATOR;
            case Principal.Visitor v -> Author.CLIENT;
            case Principal.Company c -> Author.SYSTEM;
        };
        events.publishAfterCommit(Event.forChat(chat.companyId(), chat.organizationId(), chat.client().id(), "Typing", chatId, author));
    }

    public void delete(Principal.Company company, long chatId) {
        db.tx(h -> {
            Chat chat = get(company, chatId);
            store.deleteChat(chatId);
            scopes.remove(chatId);
            if (audit != null) audit.record(company, "chat.delete", "chat", chatId, "client " + chat.client().id());
            if (chat.operator() != null && !chat.isClosed()) db.afterCommit(() -> rebalance(chat.organizationId()));
            return null;
        });
    }

    private void rebalance(long organizationId) {
        if (router != null) router.rebalance(organizationId);
    }
}
