package io.chathub.report;

import java.util.Map;

public interface ReportStore {
    /** Which chats a report reads: of the company, started in [from, to) (epoch ms); organization and operator null for any. */
    record Scope(long companyId, long from, long to, Long organizationId, Long operatorId) {}

    /**
     * The stored facts of the chats in scope, one entry per chat in the arrays (parallel): its start, its first operator
     * reply and its close (0 when none), whether it was offline, its operator (0 when none) and its rating (0 when none).
     */
    record Facts(int size, long[] createdAt, long[] firstResponseAt, long[] closedAt, boolean[] offline, long[] operatorId,
                 int[] rating) {}

    Facts facts(Scope scope);

    /** The names of these operators, by id. */
    Map<Long, String> operatorNames(long companyId, long[] operatorIds);
}
