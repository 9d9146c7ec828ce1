package io.chathub.visitor;

import java.util.Optional;

/** Website visitors: one row per browser of an organization's website. Writes join the caller's transaction. */
public interface VisitorStore {

    /** A visitor as stored; {@code resumeHash} is the SHA-256 (hex) of the secret its browser keeps. */
    record Visitor(long id, long organizationId, String publicId, String resumeHash, long clientId, String pageUrl,
                   String language) {}

    /** Where the visitor is and what its browser says, as of its latest session. */
    record Seen(String pageUrl, String language, String userAgent) {}

    long create(long organizationId, String publicId, String resumeHash, long clientId, Seen seen);

    Optional<Visitor> findByPublicId(String publicId);

    Optional<Visitor> findById(long id);

    /** A returning visitor's page, language and browser, and when. */
    void seen(long id, Seen seen);

    /** The client the visitor writes as from now on (a verified customer's). */
    void setClient(long id, long clientId);
}
