package io.chathub.client;

import io.chathub.audit.AuditLog;
import io.chathub.auth.Principal;
import io.chathub.chat.Chat;
import io.chathub.chat.ChatStore;
import io.chathub.chat.Message;
import io.chathub.db.Database;
import io.chathub.media.MediaService;
import io.chathub.organization.OrganizationService;
import io.chathub.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A company's clients: search, one, the export of everything stored about one, and its erasure. */
public final class ClientService {
    private static final Logger log = LoggerFactory.getLogger(ClientService.class);
    private static final int PAGE = 1_000;

    private final ClientStore store;
    private final ChatStore chats;
    private final OrganizationService organizations;
    private final MediaService media;
    private final AuditLog audit;
    private final Database db;
    private final Clock clock;

    public ClientService(ClientStore store, ChatStore chats, OrganizationService organizations, MediaService media,
                         AuditLog audit, Database db, Clock clock) {
        this.store = store;
        this.chats = chats;
        this.organizations = organizations;
        this.media = media;
        this.audit = audit;
        this.db = db;
        this.clock = clock;
    }

    public ClientStore.Page list(Principal.Company company, Long organizationId, String search, int page, int perPage) {
        if (organizationId != null) organizations.get(company, organizationId);
        return store.list(new ClientStore.Query(company.companyId(), organizationId, search, page, perPage));
    }

    /** The company's client: 404 when it is nobody's or another company's (which tells nothing). */
    public ClientRecord get(Principal.Company company, long id) {
        return store.find(id).filter(c -> c.companyId() == company.companyId())
                .orElseThrow(() -> ApiException.notFound("Client " + id + " not found"));
    }

    /** {client, chats: [chat with messages]}: everything stored about the client, media as links. */
    public Map<String, Object> export(Principal.Company company, long id) {
        ClientRecord client = get(company, id);
        List<Map<String, Object>> out = new ArrayList<>();
        for (long chatId : store.chatIds(id)) {
            Chat chat = chats.findChat(chatId).orElse(null);
            if (chat == null) continue;
            Map<String, Object> c = new LinkedHashMap<>(io.chathub.web.Json.MAPPER.convertValue(chat,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}));
            List<Message> messages = new ArrayList<>();
            long after = 0;
            while (true) {
                List<Message> page = chats.messages(chatId, after, PAGE);
                messages.addAll(page);
                if (page.size() < PAGE) break;
                after = page.get(page.size() - 1).seq();
            }
            c.put("messages", messages);
            out.add(c);
        }
        Map<String, Object> export = new LinkedHashMap<>();
        export.put("client", client);
        export.put("chats", out);
        return export;
    }

    /**
     * Erases the client's contact data, messages and media files (a file another message still refers to stays); its
     * chats stay as anonymised statistics. Idempotent; audited.
     */
    public void erase(Principal.Company company, long id) {
        List<String> uris = db.tx(h -> {
            ClientRecord client = get(company, id);
            List<String> media = store.erase(id, clock.millis());
            audit.record(company, "client.erase", "client", id, client.chats() + " chats, " + media.size() + " media files");
            return media;
        });
        for (String uri : uris) {
            try {
                if (!store.mediaInUse(uri)) media.delete(uri);
            } catch (RuntimeException e) {
                log.warn("erasing client {}: media {} not deleted: {}", id, uri, e.toString());
            }
        }
    }
}
