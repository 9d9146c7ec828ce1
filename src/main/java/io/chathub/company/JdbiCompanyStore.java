package io.chathub.company;

import io.chathub.db.Database;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Locale;
import java.util.Optional;

public final class JdbiCompanyStore implements CompanyStore {
    private static final RowMapper<Company> MAPPER = (rs, ctx) ->
            new Company(rs.getLong("id"), rs.getString("login"), rs.getString("name"), rs.getString("password_hash"));

    private final Database db;

    public JdbiCompanyStore(Database db) {
        this.db = db;
    }

    @Override
    public long create(String login, String passwordHash, String name) {
        return db.tx(h -> h.createQuery("""
                        INSERT INTO company (login, password_hash, name, created_at)
                        VALUES (:login, :hash, :name, :now) RETURNING id""")
                .bind("login", login.toLowerCase(Locale.ROOT)).bind("hash", passwordHash).bind("name", name)
                .bind("now", System.currentTimeMillis())
                .mapTo(Long.class).one());
    }

    @Override
    public Optional<Company> findByLogin(String login) {
        return db.read(h -> h.createQuery("SELECT * FROM company WHERE login = :login")
                .bind("login", login.toLowerCase(Locale.ROOT)).map(MAPPER).findOne());
    }

    @Override
    public boolean loginTaken(String login) {
        return db.read(h -> h.createQuery("""
                        SELECT (SELECT COUNT(*) FROM company WHERE login = :l) + (SELECT COUNT(*) FROM company_admin WHERE login = :l)
                            + (SELECT COUNT(*) FROM operator_login WHERE email = :l)""")
                .bind("l", login.toLowerCase(Locale.ROOT)).mapTo(Integer.class).one()) > 0;
    }

    @Override
    public Optional<Company> findById(long id) {
        return db.read(h -> h.createQuery("SELECT * FROM company WHERE id = :id").bind("id", id).map(MAPPER).findOne());
    }
}
