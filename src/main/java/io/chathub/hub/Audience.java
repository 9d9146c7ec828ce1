package io.chathub.hub;

import io.chathub.auth.Principal;

/**
 * Which connections a message goes to. The hub keeps its connections indexed by company, organization, operator
 * and company token, so selecting an audience never scans other tenants' connections, nor, for an organization,
 * the other organizations' operators.
 */
public sealed interface Audience {

    /**
     * Everyone who sees an organization's chats: the connections of its operators, and the connections made
     * with a company token of the company that owns it (a company token sees all its organizations).
     */
    static Audience organization(long companyId, long organizationId) {
        return new Organization(companyId, organizationId);
    }

    /** Every connection of a company: its operators in all organizations and its company-token connections. */
    static Audience company(long companyId) {
        return new Company(companyId);
    }

    /** Every connection of one operator (several tabs or devices). */
    static Audience operator(long operatorId) {
        return new Operator(operatorId);
    }

    /** Every connection of the website visitors who write as one client (the customer's tabs and devices). */
    static Audience client(long clientId) {
        return new Client(clientId);
    }

    /** One connection, by its connection id. */
    static Audience connection(String connectionId) {
        return new Connection(connectionId);
    }

    /** Whether a connection with this principal and id belongs to the audience. */
    boolean includes(Principal principal, String connectionId);

    record Organization(long companyId, long organizationId) implements Audience {
        @Override
        public boolean includes(Principal principal, String connectionId) {
            return switch (principal) {
                case Principal.Company c -> c.companyId() == companyId;
                case Principal.Operator o -> o.companyId() == companyId && o.organizationId() == organizationId;
                case Principal.Visitor v -> false; // a visitor hears only its own chats (Client)
            };
        }
    }

    record Company(long companyId) implements Audience {
        @Override
        public boolean includes(Principal principal, String connectionId) {
            return principal.companyId() == companyId && !(principal instanceof Principal.Visitor);
        }
    }

    record Client(long clientId) implements Audience {
        @Override
        public boolean includes(Principal principal, String connectionId) {
            return principal instanceof Principal.Visitor v && v.clientId() == clientId;
        }
    }

    record Operator(long operatorId) implements Audience {
        @Override
        public boolean includes(Principal principal, String connectionId) {
            return principal instanceof Principal.Operator o && o.operatorId() == operatorId;
        }
    }

    record Connection(String connectionId) implements Audience {
        @Override
        public boolean includes(Principal principal, String id) {
            return connectionId.equals(id);
        }
    }
}
