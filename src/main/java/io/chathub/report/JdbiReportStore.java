package io.chathub.report;

import io.chathub.db.Database;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Reads the chats' facts in one indexed range scan (chat_by_company_created) on plain JDBC: a report may read 100,000s. */
public final class JdbiReportStore implements ReportStore {
    private final Database db;

    public JdbiReportStore(Database db) {
        this.db = db;
    }

    @Override
    public Facts facts(Scope s) {
        String sql = "SELECT c.created_at, c.first_response_at, c.closed_at, c.offline, c.operator_id, r.score"
                + " FROM chat c LEFT JOIN chat_rating r ON r.chat_id = c.id"
                + " WHERE c.company_id = ? AND c.created_at >= ? AND c.created_at < ?"
                + (s.organizationId() == null ? "" : " AND c.organization_id = ?")
                + (s.operatorId() == null ? "" : " AND c.operator_id = ?");
        return db.read(h -> {
            try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
                int i = 1;
                ps.setLong(i++, s.companyId());
                ps.setLong(i++, s.from());
                ps.setLong(i++, s.to());
                if (s.organizationId() != null) ps.setLong(i++, s.organizationId());
                if (s.operatorId() != null) ps.setLong(i, s.operatorId());
                ps.setFetchSize(10_000);
                int n = 0, cap = 1024;
                long[] created = new long[cap], first = new long[cap], closed = new long[cap], operator = new long[cap];
                boolean[] offline = new boolean[cap];
                int[] rating = new int[cap];
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (n == cap) {
                            cap *= 2;
                            created = Arrays.copyOf(created, cap);
                            first = Arrays.copyOf(first, cap);
                            closed = Arrays.copyOf(closed, cap);
                            operator = Arrays.copyOf(operator, cap);
                            offline = Arrays.copyOf(offline, cap);
                            rating = Arrays.copyOf(rating, cap);
                        }
                        created[n] = rs.getLong(1);
                        first[n] = rs.getLong(2); // 0 for NULL
                        closed[n] = rs.getLong(3);
                        offline[n] = rs.getInt(4) != 0;
                        operator[n] = rs.getLong(5);
                        rating[n] = rs.getInt(6);
                        n++;
                    }
                }
                return new Facts(n, created, first, closed, offline, operator, rating);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the report's chats", e);
            }
        });
    }

    @Override
    public Map<Long, String> operatorNames(long companyId, long[] operatorIds) {
        Map<Long, String> names = new HashMap<>();
        if (operatorIds.length == 0) return names;
        db.read(h -> h.createQuery("""
                        SELECT o.id, o.name FROM operator o JOIN organization g ON g.id = o.organization_id
                        WHERE g.company_id = :company AND o.id IN (<ids>)""")
                .bind("company", companyId).bindList("ids", Arrays.stream(operatorIds).boxed().toList())
                .map((rs, ctx) -> names.put(rs.getLong(1), rs.getString(2))).list());
        return names;
    }
}
