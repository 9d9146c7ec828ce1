package io.chathub.company;

import java.util.Optional;

public interface CompanyStore {
    /** Inserts a company; returns its id. The login must be free (see {@link #findByLogin}). */
    long create(String login, String passwordHash, String name);

    Optional<Company> findByLogin(String login);

    /** True when a company, a console administrator or an operator's console sign-in has this login (case-insensitive). */
    boolean loginTaken(String login);

    Optional<Company> findById(long id);
}
