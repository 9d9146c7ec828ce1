package io.chathub.report;

import io.chathub.auth.Principal;
import io.chathub.organization.OrganizationService;
import io.chathub.web.ApiException;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chat reports, computed from the facts stored when they happened (a chat's start, its first operator reply, its
 * close, its rating): a summary, a time series and a per-operator table. Percentiles are nearest-rank.
 */
public final class ReportService {
    public static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    static final Duration MAX_RANGE = Duration.ofDays(400);
    static final int MAX_BUCKETS = 2000;
    public static final List<String> METRICS = List.of("chats", "firstResponse", "resolution", "rating");
    public static final List<String> INTERVALS = List.of("hour", "day", "week");

    public record Chats(long started, long answered, long missed, long offline) {}

    public record Times(long count, Double p50, Double p90) {}

    public record Rating(long count, Double average, Map<String, Long> distribution) {}

    public record Summary(String from, String to, Chats chats, Times firstResponse, Times resolution, Rating rating) {}

    public record Point(String start, Double value, long count) {}

    public record Series(String metric, String interval, String from, String to, List<Point> points) {}

    public record OperatorRef(long id, String name) {}

    public record OperatorRow(OperatorRef operator, long chats, long answered, Times firstResponse, Times resolution,
                              Rating rating) {}

    private final ReportStore store;
    private final OrganizationService organizations;
    private final java.time.Clock clock;

    public ReportService(ReportStore store, OrganizationService organizations, java.time.Clock clock) {
        this.store = store;
        this.organizations = organizations;
        this.clock = clock;
    }

    /** The scope of a report: its range (default the last 30 days, at most 400) and filters, checked against the tenant. */
    public ReportStore.Scope scope(Principal principal, Long from, Long to, Long organizationId, Long operatorId) {
        if (!(principal instanceof Principal.Company c)) throw ApiException.forbidden("This call needs a company token");
        long end = to != null ? to : clock.millis();
        long start = from != null ? from : end - DEFAULT_RANGE.toMillis();
        if (end <= start) throw ApiException.badRequest("to", "'to' must be after 'from'");
        if (end - start > MAX_RANGE.toMillis()) throw ApiException.badRequest("from", "A report covers at most 400 days");
        if (organizationId != null) organizations.get(c, organizationId);
        return new ReportStore.Scope(c.companyId(), start, end, organizationId, operatorId);
    }

    public Summary summary(ReportStore.Scope scope) {
        ReportStore.Facts f = store.facts(scope);
        return new Summary(iso(scope.from()), iso(scope.to()), chats(f, all(f)), firstResponse(f, all(f)), resolution(f, all(f)),
                rating(f, all(f)));
    }

    public Series timeseries(ReportStore.Scope scope, String metric, String interval) {
        if (!METRICS.contains(metric)) throw ApiException.badRequest("metric", "'metric' must be one of " + METRICS);
        if (!INTERVALS.contains(interval)) throw ApiException.badRequest("interval", "'interval' must be one of " + INTERVALS);
        List<Long> starts = buckets(scope.from(), scope.to(), interval);
        ReportStore.Facts f = store.facts(scope);
        List<List<Integer>> members = new ArrayList<>();
        for (int b = 0; b < starts.size(); b++) members.add(new ArrayList<>());
        long[] edges = starts.stream().mapToLong(Long::longValue).toArray();
        for (int i = 0; i < f.size(); i++) {
            int b = Arrays.binarySearch(edges, f.createdAt()[i]);
            if (b < 0) b = -b - 2;
            if (b >= 0) members.get(b).add(i);
        }
        List<Point> points = new ArrayList<>();
        for (int b = 0; b < edges.length; b++) {
            int[] rows = members.get(b).stream().mapToInt(Integer::intValue).toArray();
            points.add(switch (metric) {
                case "chats" -> new Point(iso(edges[b]), (double) rows.length, rows.length);
                case "firstResponse" -> point(edges[b], firstResponse(f, rows));
                case "resolution" -> point(edges[b], resolution(f, rows));
                default -> {
                    Rating r = rating(f, rows);
                    yield new Point(iso(edges[b]), r.average(), r.count());
                }
            });
        }
        return new Series(metric, interval, iso(scope.from()), iso(scope.to()), points);
    }

    public List<OperatorRow> operators(ReportStore.Scope scope) {
        ReportStore.Facts f = store.facts(scope);
        Map<Long, List<Integer>> byOperator = new LinkedHashMap<>();
        for (int i = 0; i < f.size(); i++) {
            if (f.operatorId()[i] != 0) byOperator.computeIfAbsent(f.operatorId()[i], k -> new ArrayList<>()).add(i);
        }
        Map<Long, String> names = store.operatorNames(scope.companyId(), byOperator.keySet().stream().mapToLong(Long::longValue).toArray());
        List<OperatorRow> rows = new ArrayList<>();
        byOperator.forEach((id, list) -> {
            int[] r = list.stream().mapToInt(Integer::intValue).toArray();
            Chats c = chats(f, r);
            rows.add(new OperatorRow(new OperatorRef(id, names.get(id)), c.started(), c.answered(), firstResponse(f, r),
                    resolution(f, r), rating(f, r)));
        });
        rows.sort((a, b) -> a.chats() != b.chats() ? Long.compare(b.chats(), a.chats()) : Long.compare(a.operator().id(), b.operator().id()));
        return rows;
    }

    private static Point point(long start, Times t) {
        return new Point(iso(start), t.p50(), t.count());
    }

    private static int[] all(ReportStore.Facts f) {
        int[] rows = new int[f.size()];
        for (int i = 0; i < rows.length; i++) rows[i] = i;
        return rows;
    }

    private static Chats chats(ReportStore.Facts f, int[] rows) {
        long answered = 0, offline = 0;
        for (int i : rows) {
            if (f.firstResponseAt()[i] != 0) answered++;
            if (f.offline()[i]) offline++;
        }
        return new Chats(rows.length, answered, rows.length - answered, offline);
    }

    private static Times firstResponse(ReportStore.Facts f, int[] rows) {
        return durations(f.createdAt(), f.firstResponseAt(), rows);
    }

    private static Times resolution(ReportStore.Facts f, int[] rows) {
        return durations(f.createdAt(), f.closedAt(), rows);
    }

    /** From start to end, for the rows that have an end (non-zero). */
    private static Times durations(long[] start, long[] end, int[] rows) {
        long[] d = new long[rows.length];
        int n = 0;
        for (int i : rows) if (end[i] != 0) d[n++] = Math.max(0, end[i] - start[i]);
        if (n == 0) return new Times(0, null, null);
        Arrays.sort(d, 0, n);
        return new Times(n, rank(d, n, 0.5), rank(d, n, 0.9));
    }

    /** Nearest-rank percentile, in seconds. */
    static double rank(long[] sorted, int n, double p) {
        int k = (int) Math.ceil(p * n);
        return sorted[Math.max(0, k - 1)] / 1000.0;
    }

    private static Rating rating(ReportStore.Facts f, int[] rows) {
        long[] counts = new long[6];
        long sum = 0, n = 0;
        for (int i : rows) {
            int s = f.rating()[i];
            if (s >= 1 && s <= 5) {
                counts[s]++;
                sum += s;
                n++;
            }
        }
        Map<String, Long> distribution = new LinkedHashMap<>();
        for (int s = 1; s <= 5; s++) distribution.put(String.valueOf(s), counts[s]);
        return new Rating(n, n == 0 ? null : Math.round(sum * 100.0 / n) / 100.0, distribution);
    }

    /** The starts of the buckets that cover [from, to): UTC hours, days or ISO weeks (from Monday). */
    static List<Long> buckets(long from, long to, String interval) {
        Instant first = Instant.ofEpochMilli(from);
        Instant start = switch (interval) {
            case "hour" -> first.truncatedTo(ChronoUnit.HOURS);
            case "day" -> first.truncatedTo(ChronoUnit.DAYS);
            default -> first.atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                    .atStartOfDay(ZoneOffset.UTC).toInstant();
        };
        Duration step = switch (interval) {
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            default -> Duration.ofDays(7);
        };
        long count = (to - start.toEpochMilli() + step.toMillis() - 1) / step.toMillis();
        if (count > MAX_BUCKETS) {
            throw ApiException.badRequest("interval", "At most " + MAX_BUCKETS + " buckets: use a longer interval or a shorter range");
        }
        List<Long> out = new ArrayList<>();
        for (long t = start.toEpochMilli(); t < to; t += step.toMillis()) out.add(t);
        return out;
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
