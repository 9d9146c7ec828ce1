package io.chathub.hub;

import io.chathub.auth.Principal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's connections: every live one (for the heartbeat), and the open ones indexed by id, company, operator,
 * organization (operator connections) and company token (connections made with a company token), which is what an
 * {@link Audience} is chosen from (website visitors' connections only by client, never by company): an organization's audience walks only its own operators' connections and the
 * company-token ones, never the rest of the company. A connection joins the indexes when its handshake completes
 * and leaves them the moment it starts closing.
 */
final class ConnectionRegistry {
    private final Set<HubConnection> live = ConcurrentHashMap.newKeySet();
    private final Map<String, HubConnection> open = new ConcurrentHashMap<>();
    private final Map<Long, Set<HubConnection>> byCompany = new ConcurrentHashMap<>();
    private final Map<Long, Set<HubConnection>> byOperator = new ConcurrentHashMap<>();
    private final Map<Long, Set<HubConnection>> byOrganization = new ConcurrentHashMap<>();
    private final Map<Long, Set<HubConnection>> companyTokensByCompany = new ConcurrentHashMap<>();
    private final Map<Long, Set<HubConnection>> visitorsByClient = new ConcurrentHashMap<>();

    void addLive(HubConnection c) {
        live.add(c);
    }

    void removeLive(HubConnection c) {
        live.remove(c);
    }

    Collection<HubConnection> live() {
        return live;
    }

    int openCount() {
        return open.size();
    }

    void index(HubConnection c) {
        open.put(c.connectionId(), c);
        switch (c.principal()) {
            case Principal.Operator o -> {
                add(byCompany, o.companyId(), c);
                add(byOperator, o.operatorId(), c);
                add(byOrganization, o.organizationId(), c);
            }
            case Principal.Company co -> {
                add(byCompany, co.companyId(), c);
                add(companyTokensByCompany, co.companyId(), c);
            }
            case Principal.Visitor v -> add(visitorsByClient, v.clientId(), c);
        }
    }

    void unindex(HubConnection c) {
        if (!open.remove(c.connectionId(), c)) return;
        switch (c.principal()) {
            case Principal.Operator o -> {
                remove(byCompany, o.companyId(), c);
                remove(byOperator, o.operatorId(), c);
                remove(byOrganization, o.organizationId(), c);
            }
            case Principal.Company co -> {
                remove(byCompany, co.companyId(), c);
                remove(companyTokensByCompany, co.companyId(), c);
            }
            case Principal.Visitor v -> remove(visitorsByClient, v.clientId(), c);
        }
    }

    /** The open connections of an audience, at this moment. */
    List<HubConnection> select(Audience audience) {
        return switch (audience) {
            case Audience.Organization a -> filter(a, byOrganization.getOrDefault(a.organizationId(), Set.of()),
                    companyTokensByCompany.getOrDefault(a.companyId(), Set.of()));
            case Audience.Company a -> filter(a, byCompany.getOrDefault(a.companyId(), Set.of()), Set.of());
            case Audience.Operator a -> filter(a, byOperator.getOrDefault(a.operatorId(), Set.of()), Set.of());
            case Audience.Client a -> filter(a, visitorsByClient.getOrDefault(a.clientId(), Set.of()), Set.of());
            case Audience.Connection a -> {
                HubConnection c = open.get(a.connectionId());
                yield c == null ? List.of() : filter(a, List.of(c), Set.of());
            }
        };
    }

    private static List<HubConnection> filter(Audience audience, Collection<HubConnection> first,
                                              Collection<HubConnection> second) {
        List<HubConnection> selected = new ArrayList<>(first.size() + second.size());
        for (HubConnection c : first) {
            if (audience.includes(c.principal(), c.connectionId())) selected.add(c);
        }
        for (HubConnection c : second) {
            if (audience.includes(c.principal(), c.connectionId())) selected.add(c);
        }
        return selected;
    }

    List<HubConnection> open() {
        return List.copyOf(open.values());
    }

    /** Adds inside compute(), so that a concurrent remove() cannot drop the set this connection goes into. */
    private static void add(Map<Long, Set<HubConnection>> index, long key, HubConnection c) {
        index.compute(key, (k, set) -> {
            Set<HubConnection> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(c);
            return s;
        });
    }

    /** Removes the entry and, atomically with it, an emptied set, so the index does not keep every id ever seen. */
    private static void remove(Map<Long, Set<HubConnection>> index, long key, HubConnection c) {
        index.computeIfPresent(key, (k, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }
}
