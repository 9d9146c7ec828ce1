package io.chathub.console;

import java.util.List;
import java.util.Optional;

/** The console's accounts (administrators, operator sign-ins) and its browser sessions. Writes join the caller's transaction. */
public interface ConsoleStore {
    /** Who a login names: the company itself (its owner), an administrator, or an operator's sign-in. */
    record Account(String kind, long companyId, long subjectId, String login, String passwordHash) {}

    /** The account whose login (case-insensitive) this is: a company login, an administrator login or an operator sign-in email. */
    Optional<Account> findAccount(String login);

    /** True when the login (case-insensitive) is taken by a company, an administrator or an operator sign-in. */
    boolean loginTaken(String login);

    long createAdmin(long companyId, String login, String passwordHash, String role);

    Optional<Admin> findAdmin(long id);

    List<Admin> listAdmins(long companyId);

    void updateAdmin(long id, String role, String passwordHash);

    void deleteAdmin(long id);

    /** Sets (or replaces) an operator's sign-in. */
    void setOperatorLogin(long operatorId, String email, String passwordHash);

    /** The operator's sign-in email, if it has one. */
    Optional<String> operatorLoginOf(long operatorId);

    boolean deleteOperatorLogin(long operatorId);

    /** A new password for the account ({@code kind} owner, admin or operator). */
    void setPassword(String kind, long subjectId, String passwordHash);

    /** A live session as stored, with what the request needs of its account (read in one lookup). */
    record StoredSession(String idHash, String kind, long companyId, long subjectId, String csrfToken, long seenAt,
                         long expiresAt, String companyLogin, String companyName, String adminLogin, String adminRole,
                         String operatorEmail, Integer operatorStatus, Long operatorOrganizationId) {}

    void createSession(String idHash, String kind, long companyId, long subjectId, String csrfToken, String ip, long now,
                       long expiresAt);

    /** The session if it has not expired at {@code now}. */
    Optional<StoredSession> findSession(String idHash, long now);

    void renewSession(String idHash, long now, long expiresAt);

    void deleteSession(String idHash);

    /** Ends every session of an account, but {@code exceptIdHash} (null: all). */
    int deleteSessionsOf(String kind, long subjectId, String exceptIdHash);

    int deleteExpiredSessions(long now);
}
