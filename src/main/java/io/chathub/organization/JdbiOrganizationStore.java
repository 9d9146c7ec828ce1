package io.chathub.organization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.chathub.db.Database;
import io.chathub.web.Json;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

import java.util.List;
import java.util.Optional;

public final class JdbiOrganizationStore implements OrganizationStore {
    private static final RowMapper<Organization> MAPPER = (rs, ctx) -> new Organization(
            rs.getLong("id"), rs.getLong("company_id"), rs.getString("name"), rs.getString("widget_guid"),
            readList(rs.getString("allowed_origins")), rs.getString("greeting"),
            readNode(rs.getString("business_hours")), rs.getString("offline_contact"),
            rs.getString("theme_color"), rs.getString("default_language"), readNode(rs.getString("pre_chat")),
            rs.getString("widget_position"), rs.getString("identity_secret"));

    private final Database db;

    public JdbiOrganizationStore(Database db) {
        this.db = db;
    }

    @Override
    public Organization create(Organization o) {
        long now = System.currentTimeMillis();
        long id = db.tx(h -> bindSettings(h.createQuery("""
                        INSERT INTO organization (company_id, name, widget_guid, allowed_origins, greeting,
                            business_hours, offline_contact, theme_color, default_language, pre_chat, widget_position,
                            identity_secret, created_at, updated_at)
                        VALUES (:companyId, :name, :widgetGuid, :allowedOrigins, :greeting,
                            :businessHours, :offlineContact, :themeColor, :defaultLanguage, :preChat, :position,
                            :identitySecret, :now, :now)
                        RETURNING id"""), o)
                .bind("companyId", o.companyId()).bind("widgetGuid", o.widgetGuid()).bind("now", now)
                .mapTo(Long.class).one());
        return findById(id).orElseThrow();
    }

    @Override
    public Organization update(Organization o) {
        db.tx(h -> bindSettings(h.createUpdate("""
                        UPDATE organization SET name = :name, allowed_origins = :allowedOrigins, greeting = :greeting,
                            business_hours = :businessHours, offline_contact = :offlineContact,
                            theme_color = :themeColor, default_language = :defaultLanguage, pre_chat = :preChat,
                            widget_position = :position, identity_secret = :identitySecret, updated_at = :now
                        WHERE id = :id"""), o)
                .bind("id", o.id()).bind("now", System.currentTimeMillis()).execute());
        return findById(o.id()).orElseThrow();
    }

    private static <S extends SqlStatement<S>> S bindSettings(S s, Organization o) {
        return s.bind("name", o.name())
                .bind("allowedOrigins", Json.write(o.allowedOrigins()))
                .bind("greeting", o.greeting())
                .bind("businessHours", o.businessHours() == null ? null : Json.write(o.businessHours()))
                .bind("offlineContact", o.offlineContact())
                .bind("themeColor", o.themeColor())
                .bind("defaultLanguage", o.defaultLanguage())
                .bind("preChat", o.preChat() == null ? null : Json.write(o.preChat()))
                .bind("position", o.position())
                .bind("identitySecret", o.identitySecret());
    }

    @Override
    public void rotateWidgetGuid(long id, String newGuid) {
        db.tx(h -> h.createUpdate("UPDATE organization SET widget_guid = :guid, updated_at = :now WHERE id = :id")
                .bind("guid", newGuid).bind("now", System.currentTimeMillis()).bind("id", id).execute());
    }

    @Override
    public boolean delete(long id) {
        return db.tx(h -> h.createUpdate("DELETE FROM organization WHERE id = :id").bind("id", id).execute()) > 0;
    }

    @Override
    public void lock(long id) {
        // A write that changes nothing, in portable SQL: PostgreSQL row-locks the organization until the
        // transaction ends; SQLite has a single writer, so its transactions never overlap anyway.
        db.tx(h -> h.createUpdate("UPDATE organization SET updated_at = updated_at WHERE id = :id").bind("id", id).execute());
    }

    @Override
    public Optional<Organization> findById(long id) {
        return db.read(h -> h.createQuery("SELECT * FROM organization WHERE id = :id").bind("id", id).map(MAPPER).findOne());
    }

    @Override
    public Optional<Organization> findByWidgetGuid(String guid) {
        return db.read(h -> h.createQuery("SELECT * FROM organization WHERE widget_guid = :guid")
                .bind("guid", guid).map(MAPPER).findOne());
    }

    @Override
    public List<Organization> listByCompany(long companyId) {
        return db.read(h -> h.createQuery("SELECT * FROM organization WHERE company_id = :companyId ORDER BY id")
                .bind("companyId", companyId).map(MAPPER).list());
    }

    private static List<String> readList(String json) {
        try {
            return json == null ? List.of() : Json.MAPPER.readValue(json, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt allowed_origins: " + json, e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readNode(String json) {
        try {
            return json == null ? null : Json.read(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt organization setting: " + json, e);
        }
    }
}
