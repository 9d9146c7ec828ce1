package io.chathub.client;

import java.util.List;
import java.util.Optional;

/** Clients as the company console reads and erases them. Writes join the caller's transaction. */
public interface ClientStore {
    record Query(long companyId, Long organizationId, String search, int page, int perPage) {}

    record Page(long total, List<ClientRecord> items) {}

    Page list(Query query);

    Optional<ClientRecord> find(long id);

    /** The ids of the client's chats, oldest first. */
    List<Long> chatIds(long clientId);

    /**
     * Erases the client's contact data and its chats' messages (their channel rows go with them), its visitors' browser
     * facts and links, the chats' personal facts (theme, page, language, rating comment); the chats stay as statistics.
     * Returns the media URIs its messages had.
     */
    List<String> erase(long clientId, long now);

    /** True when some message still refers to this media URI. */
    boolean mediaInUse(String uri);
}
