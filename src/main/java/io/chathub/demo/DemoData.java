package io.chathub.demo;

import io.chathub.auth.Authenticator;
import io.chathub.company.CompanyService;
import io.chathub.db.Database;
import io.chathub.operator.OperatorService;
import io.chathub.operator.OperatorStore;
import io.chathub.organization.Organization;
import io.chathub.organization.OrganizationStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The demo company (login {@code demo}, password {@code demo}) with organizations Sales and Support
 * and two operators each. Seeding is idempotent: what exists is left alone.
 */
public final class DemoData {
    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    public static final String LOGIN = Authenticator.DEMO_LOGIN;
    public static final String PASSWORD = "demo";
    static final Map<String, List<String>> OPERATORS = Map.of(
            "Sales", List.of("Anna Kovalenko", "Bram de Vries"),
            "Support", List.of("Chris Yilmaz", "Dana Shevchenko"));

    private final CompanyService companies;
    private final OrganizationStore organizations;
    private final OperatorStore operators;
    private final Database db;

    public DemoData(CompanyService companies, OrganizationStore organizations, OperatorStore operators, Database db) {
        this.companies = companies;
        this.organizations = organizations;
        this.operators = operators;
        this.db = db;
    }

    public void seed() {
        long companyId = companies.createDemo(LOGIN, PASSWORD, "Demo Company");
        db.tx(h -> {
            for (String orgName : List.of("Sales", "Support")) {
                Organization org = organizations.listByCompany(companyId).stream()
                        .filter(o -> o.name().equals(orgName)).findFirst()
                        .orElseGet(() -> organizations.create(new Organization(0, companyId, orgName,
                                UUID.randomUUID().toString(), List.of("http://localhost:8080"), "Hi! How can we help?",
                                null, null, null, "en")));
                for (String name : OPERATORS.get(orgName)) {
                    if (operators.findByName(org.id(), name, false).isEmpty()) {
                        operators.create(org.id(), new OperatorStore.Profile(name, null, null, null,
                                OperatorService.DEFAULT_MAX_CHATS));
                    }
                }
            }
            return null;
        });
        log.info("demo company ready: login={} organizations=Sales,Support", LOGIN);
    }
}
