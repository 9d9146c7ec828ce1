package io.chathub.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.chathub.auth.JdbiTokenStore;
import io.chathub.auth.TokenStore;
import io.chathub.chat.Chat;
import io.chathub.chat.ChatStore;
import io.chathub.chat.JdbiChatStore;
import io.chathub.chat.Message;
import io.chathub.company.Company;
import io.chathub.company.JdbiCompanyStore;
import io.chathub.db.Database;
import io.chathub.operator.JdbiOperatorStore;
import io.chathub.operator.Operator;
import io.chathub.operator.OperatorStatus;
import io.chathub.operator.OperatorStore;
import io.chathub.organization.JdbiOrganizationStore;
import io.chathub.organization.Organization;
import io.chathub.testing.TestDatabases;
import io.chathub.testing.TestServer;
import io.chathub.web.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The JDBI stores behave the same on SQLite and PostgreSQL. */
@ParameterizedClass(name = "[{0}]")
@ValueSource(strings = {"sqlite", "postgres"})
class StoreContractTest {
    static TestDatabases.TestDatabase testDatabase;
    static Database db;

    @Parameter
    String database;

    @BeforeParameterizedClassInvocation
    static void openDatabase(String database) {
        testDatabase = TestDatabases.create(database);
        try {
            db = Database.open(testDatabase.config().build(), new SimpleMeterRegistry());
        } catch (RuntimeException e) {
            testDatabase.close();
            throw e;
        }
    }

    @AfterParameterizedClassInvocation
    static void closeDatabase() {
        try {
            db.close();
        } finally {
            testDatabase.close();
        }
    }

    private final JdbiCompanyStore companies = new JdbiCompanyStore(db);
    private final JdbiOrganizationStore organizations = new JdbiOrganizationStore(db);
    private final JdbiOperatorStore operators = new JdbiOperatorStore(db);
    private final JdbiTokenStore tokens = new JdbiTokenStore(db);

    private static final AtomicInteger NAMES = new AtomicInteger();

    private long company() {
        return companies.create(TestServer.uniqueLogin(), "$argon2id$not-a-real-hash", "Company");
    }

    private static Organization newOrganization(long companyId, String name) {
        return new Organization(0, companyId, name, UUID.randomUUID().toString(), List.of(), null, null, null, null, null);
    }

    private long organization(long companyId) {
        return organizations.create(newOrganization(companyId, "Org " + NAMES.incrementAndGet())).id();
    }

    private static OperatorStore.Profile profile(String name, String externalId) {
        return new OperatorStore.Profile(name, externalId, null, null, 5);
    }

    private long operator(long organizationId, String name) {
        return operators.create(organizationId, profile(name, null));
    }

    private String token(long operatorId, Instant expiresAt) {
        String jti = UUID.randomUUID().toString();
        tokens.recordOperatorToken(jti, operatorId, expiresAt);
        return jti;
    }

    private static Instant inAnHour() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    @Test
    void databaseKindMatches() {
        assertThat(db.kind().name().toLowerCase()).isEqualTo(database);
        assertThat(db.isReady()).isTrue();
    }

    // --- companies

    @Test
    void companyIsFoundByIdAndByLoginInAnyCase() {
        String login = "Mixed.Case-" + UUID.randomUUID().toString().substring(0, 8);
        long id = companies.create(login, "hash-value", "Acme");

        Company byId = companies.findById(id).orElseThrow();
        assertThat(byId.login()).isEqualTo(login.toLowerCase());
        assertThat(byId.name()).isEqualTo("Acme");
        assertThat(byId.passwordHash()).isEqualTo("hash-value");
        assertThat(companies.findByLogin(login.toUpperCase())).contains(byId);
        assertThat(companies.findByLogin(login.toLowerCase())).contains(byId);
        assertThat(companies.findByLogin("no-such-" + login)).isEmpty();
        assertThat(companies.findById(id + 1_000_000)).isEmpty();
    }

    @Test
    void companyLoginIsUniqueRegardlessOfCase() {
        String login = TestServer.uniqueLogin();
        companies.create(login, "h", "First");

        assertThatThrownBy(() -> companies.create(login, "h", "Second")).isInstanceOf(JdbiException.class);
        assertThatThrownBy(() -> companies.create(login.toUpperCase(), "h", "Third")).isInstanceOf(JdbiException.class);
        assertThat(companies.findByLogin(login).orElseThrow().name()).isEqualTo("First");
    }

    @Test
    void idsArePositiveAndIncreasing() {
        List<Long> companyIds = new ArrayList<>();
        List<Long> organizationIds = new ArrayList<>();
        List<Long> operatorIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long c = company();
            long o = organization(c);
            companyIds.add(c);
            organizationIds.add(o);
            operatorIds.add(operator(o, "Op " + i));
        }

        for (List<Long> ids : List.of(companyIds, organizationIds, operatorIds)) {
            assertThat(ids.getFirst()).isPositive();
            assertThat(ids).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void companyExistsOnlyForStoredCompanies() {
        long id = company();

        assertThat(tokens.companyExists(id)).isTrue();
        assertThat(tokens.companyExists(id + 1_000_000)).isFalse();
    }

    // --- organizations

    @Test
    void organizationKeepsItsSettings() throws Exception {
        long companyId = company();
        JsonNode hours = Json.read("{\"timezone\":\"Europe/Kyiv\",\"days\":{\"mon\":[[\"09:00\",\"18:00\"]]}}");
        var input = new Organization(0, companyId, "Sales", UUID.randomUUID().toString(),
                List.of("https://crm.example.com", "http://localhost:3000"), "Hi", hours, "mail@example.com", "#1f6feb", "uk");

        Organization created = organizations.create(input);

        assertThat(created.id()).isPositive();
        assertThat(created).usingRecursiveComparison().ignoringFields("id").isEqualTo(input);
        assertThat(organizations.findById(created.id())).contains(created);
        assertThat(organizations.findByWidgetGuid(input.widgetGuid())).contains(created);
        assertThat(organizations.findByWidgetGuid(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void organizationUpdateReplacesNameAndSettingsButNotItsGuidOrCompany() {
        long companyId = company();
        Organization org = organizations.create(newOrganization(companyId, "Sales"));
        var changed = new Organization(org.id(), company(), "Sales & Marketing", "another-guid",
                List.of("https://a.example"), "Hello", null, null, "#000", "en");

        Organization updated = organizations.update(changed);

        assertThat(updated.name()).isEqualTo("Sales & Marketing");
        assertThat(updated.allowedOrigins()).containsExactly("https://a.example");
        assertThat(updated.greeting()).isEqualTo("Hello");
        assertThat(updated.themeColor()).isEqualTo("#000");
        assertThat(updated.defaultLanguage()).isEqualTo("en");
        assertThat(updated.widgetGuid()).isEqualTo(org.widgetGuid());
        assertThat(updated.companyId()).isEqualTo(companyId);
        assertThat(organizations.findById(org.id())).contains(updated);
    }

    @Test
    void organizationsAreListedPerCompanyInIdOrder() {
        long mine = company();
        long other = company();
        long b = organization(mine);
        organization(other);
        long c = organization(mine);

        assertThat(organizations.listByCompany(mine)).extracting(Organization::id).containsExactly(b, c);
        assertThat(organizations.listByCompany(company())).isEmpty();
    }

    @Test
    void widgetGuidIsUnique() {
        long companyId = company();
        Organization first = organizations.create(newOrganization(companyId, "A"));
        var clash = new Organization(0, companyId, "B", first.widgetGuid(), List.of(), null, null, null, null, null);

        assertThatThrownBy(() -> organizations.create(clash)).isInstanceOf(JdbiException.class);
        assertThat(organizations.listByCompany(companyId)).hasSize(1);
    }

    @Test
    void organizationNeedsAnExistingCompany() {
        assertThatThrownBy(() -> organizations.create(newOrganization(987_654_321L, "Orphan")))
                .isInstanceOf(JdbiException.class);
    }

    @Test
    void deletingAnOrganizationDeletesItsOperatorsAndTheirTokens() {
        long companyId = company();
        long doomed = organization(companyId);
        long kept = organization(companyId);
        long a = operator(doomed, "A");
        long b = operator(kept, "B");
        String aToken = token(a, inAnHour());
        String bToken = token(b, inAnHour());

        assertThat(organizations.delete(doomed)).isTrue();

        assertThat(organizations.findById(doomed)).isEmpty();
        assertThat(operators.findById(a)).isEmpty();
        assertThat(operators.listByOrganization(doomed)).isEmpty();
        assertThat(tokens.findOperatorToken(aToken)).isEmpty();
        assertThat(operators.findById(b)).isPresent();
        assertThat(tokens.findOperatorToken(bToken)).isPresent();
        assertThat(organizations.delete(doomed)).isFalse();
    }

    // --- operators

    @Test
    void operatorIsCreatedActiveWithItsProfileAndOrganization() {
        long companyId = company();
        Organization org = organizations.create(newOrganization(companyId, "Sales"));

        long id = operators.create(org.id(), new OperatorStore.Profile("Anna", "crm-1", "anna@example.com", "https://p/a.png", 7));

        Operator op = operators.findById(id).orElseThrow();
        assertThat(op.name()).isEqualTo("Anna");
        assertThat(op.status()).isEqualTo(OperatorStatus.ACTIVE.code());
        assertThat(op.organization()).isEqualTo(new Operator.OrganizationRef(org.id(), "Sales"));
        assertThat(op.externalId()).isEqualTo("crm-1");
        assertThat(op.email()).isEqualTo("anna@example.com");
        assertThat(op.photo()).isEqualTo("https://p/a.png");
        assertThat(op.maxChats()).isEqualTo(7);
        assertThat(op.companyId()).isEqualTo(companyId);
        assertThat(operators.findById(id + 1_000_000)).isEmpty();
    }

    @Test
    void operatorUpdateAndStatusChange() {
        long org = organization(company());
        long id = operator(org, "Anna");

        operators.update(id, new OperatorStore.Profile("Anna K.", "crm-9", "a@example.com", null, 3));
        operators.setStatus(id, OperatorStatus.DELETED);

        Operator op = operators.findById(id).orElseThrow();
        assertThat(op.name()).isEqualTo("Anna K.");
        assertThat(op.externalId()).isEqualTo("crm-9");
        assertThat(op.email()).isEqualTo("a@example.com");
        assertThat(op.maxChats()).isEqualTo(3);
        assertThat(op.status()).isEqualTo(2);
        assertThat(op.isActive()).isFalse();
    }

    @Test
    void operatorsAreFoundByExternalIdAndByName() {
        long org = organization(company());
        long otherOrg = organization(company());
        long withExt = operators.create(org, profile("Alex", "crm-1"));
        long withoutExt = operators.create(org, profile("Alex", null));
        operators.create(otherOrg, profile("Alex", "crm-1"));

        assertThat(operators.findByExternalId(org, "crm-1")).map(Operator::id).contains(withExt);
        assertThat(operators.findByExternalId(org, "crm-2")).isEmpty();
        assertThat(operators.findByName(org, "Alex", false)).map(Operator::id).contains(withExt);
        assertThat(operators.findByName(org, "Alex", true)).map(Operator::id).contains(withoutExt);
        assertThat(operators.findByName(org, "alex", false)).isEmpty();
    }

    @Test
    void externalIdIsUniqueWithinAnOrganizationOnly() {
        long org = organization(company());
        long otherOrg = organization(company());
        operators.create(org, profile("A", "crm-1"));

        assertThatThrownBy(() -> operators.create(org, profile("B", "crm-1"))).isInstanceOf(JdbiException.class);
        long elsewhere = operators.create(otherOrg, profile("B", "crm-1"));
        long noExt1 = operators.create(org, profile("C", null));
        long noExt2 = operators.create(org, profile("C", null));

        assertThat(elsewhere).isPositive();
        assertThat(noExt1).isNotEqualTo(noExt2);
        assertThat(operators.listByOrganization(org)).hasSize(3);
        long b = operators.create(org, profile("B", "crm-2"));
        assertThatThrownBy(() -> operators.update(b, profile("B", "crm-1"))).isInstanceOf(JdbiException.class);
        assertThat(operators.findById(b).orElseThrow().externalId()).isEqualTo("crm-2");
    }

    @Test
    void operatorNeedsAnExistingOrganization() {
        assertThatThrownBy(() -> operators.create(987_654_321L, profile("Ghost", null))).isInstanceOf(JdbiException.class);
    }

    @Test
    void operatorsAreListedPerOrganizationAndPerCompany() {
        long companyId = company();
        long sales = organization(companyId);
        long support = organization(companyId);
        long a = operator(sales, "A");
        long c = operator(support, "C");
        long b = operator(sales, "B");
        operator(organization(company()), "Not mine");

        assertThat(operators.listByOrganization(sales)).extracting(Operator::id).containsExactly(a, b);
        assertThat(operators.listByCompany(companyId)).extracting(Operator::id).containsExactly(a, b, c);
    }

    @Test
    void lockingAnOrganizationMakesAnotherTransactionWaitForIt() throws Exception {
        long org = organization(company());
        var locked = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();

        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> first = executor.submit(() -> db.tx(h -> {
                organizations.lock(org);
                locked.countDown();
                await(release);
                operators.create(org, profile("First", "crm-1"));
                events.add("first commits");
                return null;
            }));
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> second = executor.submit(() -> db.tx(h -> {
                organizations.lock(org);
                events.add("second locked, sees " + operators.findByExternalId(org, "crm-1").map(Operator::name).orElse("nothing"));
                return null;
            }));

            try {
                assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            } finally {
                release.countDown();
            }
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
        }

        assertThat(events).containsExactly("first commits", "second locked, sees First");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("latch not released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- tokens

    @Test
    void recordedTokenTellsItsOperatorOrganizationCompanyAndStatus() {
        long companyId = company();
        long org = organization(companyId);
        long op = operator(org, "Anna");
        String jti = token(op, inAnHour());

        assertThat(tokens.findOperatorToken(jti)).contains(new TokenStore.OperatorTokenState(op, org, companyId, 0, false));
        operators.setStatus(op, OperatorStatus.INACTIVE);
        assertThat(tokens.findOperatorToken(jti).orElseThrow().operatorStatus()).isEqualTo(1);
        assertThat(tokens.findOperatorToken(UUID.randomUUID().toString())).isEmpty();
    }

    @Test
    void revokeMarksOneTokenAndSaysWhetherItExists() {
        long op = operator(organization(company()), "Anna");
        String revoked = token(op, inAnHour());
        String kept = token(op, inAnHour());

        assertThat(tokens.revoke(revoked, Instant.now())).isTrue();
        assertThat(tokens.revoke(revoked, Instant.now())).isTrue();
        assertThat(tokens.revoke(UUID.randomUUID().toString(), Instant.now())).isFalse();

        assertThat(tokens.findOperatorToken(revoked).orElseThrow().revoked()).isTrue();
        assertThat(tokens.findOperatorToken(kept).orElseThrow().revoked()).isFalse();
    }

    @Test
    void revokeAllRevokesTheOperatorsLiveTokensOnly() {
        long org = organization(company());
        long op = operator(org, "Anna");
        long other = operator(org, "Bram");
        String live1 = token(op, inAnHour());
        String live2 = token(op, inAnHour());
        String alreadyRevoked = token(op, inAnHour());
        String expired = token(op, Instant.now().minus(Duration.ofMinutes(5)));
        String othersToken = token(other, inAnHour());
        tokens.revoke(alreadyRevoked, Instant.now());

        assertThat(tokens.revokeAllOf(op, Instant.now())).isEqualTo(2);

        assertThat(tokens.findOperatorToken(live1).orElseThrow().revoked()).isTrue();
        assertThat(tokens.findOperatorToken(live2).orElseThrow().revoked()).isTrue();
        assertThat(tokens.findOperatorToken(expired).orElseThrow().revoked()).isFalse();
        assertThat(tokens.findOperatorToken(othersToken).orElseThrow().revoked()).isFalse();
        assertThat(tokens.revokeAllOf(op, Instant.now())).isZero();
        String later = token(op, inAnHour());
        assertThat(tokens.findOperatorToken(later).orElseThrow().revoked()).isFalse();
    }

    @Test
    void deleteExpiredForgetsOnlyTokensThatExpiredBeforeTheCutoff() {
        long op = operator(organization(company()), "Anna");
        Instant now = Instant.now();
        String longExpired = token(op, now.minus(Duration.ofDays(2)));
        String recentlyExpired = token(op, now.minus(Duration.ofHours(1)));
        String live = token(op, now.plus(Duration.ofHours(1)));

        int deleted = tokens.deleteExpired(now.minus(Duration.ofDays(1)));

        assertThat(deleted).isGreaterThanOrEqualTo(1);
        assertThat(tokens.findOperatorToken(longExpired)).isEmpty();
        assertThat(tokens.findOperatorToken(recentlyExpired)).isPresent();
        assertThat(tokens.findOperatorToken(live)).isPresent();
    }

    @Test
    void tokenNeedsAnExistingOperator() {
        assertThatThrownBy(() -> token(987_654_321L, inAnHour())).isInstanceOf(JdbiException.class);
    }

    @Test
    void firstActiveOperatorOfACompanyLoginSkipsInactiveOnes() {
        String login = TestServer.uniqueLogin();
        long companyId = companies.create(login, "h", "Demo-like");
        long first = organization(companyId);
        long second = organization(companyId);
        long a = operator(first, "A");
        long b = operator(first, "B");
        long c = operator(second, "C");

        assertThat(tokens.firstActiveOperatorOf(login)).map(TokenStore.OperatorTokenState::operatorId).contains(a);
        operators.setStatus(a, OperatorStatus.INACTIVE);
        assertThat(tokens.firstActiveOperatorOf(login)).map(TokenStore.OperatorTokenState::operatorId).contains(b);
        operators.setStatus(b, OperatorStatus.DELETED);
        assertThat(tokens.firstActiveOperatorOf(login)).map(TokenStore.OperatorTokenState::operatorId).contains(c);
        operators.setStatus(c, OperatorStatus.INACTIVE);
        assertThat(tokens.firstActiveOperatorOf(login)).isEmpty();
        assertThat(tokens.firstActiveOperatorOf("no-such-" + login)).isEmpty();
    }

    // --- transactions

    @Test
    void aFailedTransactionLeavesNothingBehind() {
        long companyId = company();

        assertThatThrownBy(() -> db.tx(h -> {
            long org = organizations.create(newOrganization(companyId, "Half")).id();
            operators.create(org, profile("Half-made", null));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(organizations.listByCompany(companyId)).isEmpty();
        assertThat(operators.listByCompany(companyId)).isEmpty();
    }

    @Test
    void aConstraintViolationRollsBackTheWholeTransaction() {
        long org = organization(company());
        operators.create(org, profile("A", "crm-1"));

        assertThatThrownBy(() -> db.tx(h -> {
            operators.create(org, profile("New", "crm-2"));
            return operators.create(org, profile("Clash", "crm-1"));
        })).isInstanceOf(JdbiException.class);

        assertThat(operators.listByOrganization(org)).extracting(Operator::name).containsExactly("A");
    }

    @Test
    void afterCommitRunsOnlyAfterACommit() {
        long companyId = company();
        List<String> events = new ArrayList<>();

        db.tx(h -> {
            organizations.create(newOrganization(companyId, "Committed"));
            db.afterCommit(() -> events.add("committed"));
            events.add("in tx");
            return null;
        });
        assertThatThrownBy(() -> db.tx(h -> {
            db.afterCommit(() -> events.add("rolled back"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(events).containsExactly("in tx", "committed");
    }

    @Test
    void readsInsideATransactionSeeItsOwnWrites() {
        long companyId = company();

        long seen = db.tx(h -> {
            organizations.create(newOrganization(companyId, "Fresh"));
            return (long) organizations.listByCompany(companyId).size();
        });

        assertThat(seen).isEqualTo(1);
    }

    // --- clients, chats and messages (the message hot path runs on statements kept prepared)

    private final JdbiChatStore chats = new JdbiChatStore(db);

    private static ChatStore.ClientInput client(String externalId, String name, String phone) {
        return new ChatStore.ClientInput(9, externalId, name, phone, null);
    }

    @Test
    void aClientIsCreatedOnceAndFoundWithItsCurrentChat() {
        long companyId = company();
        long org = organization(companyId);

        ChatStore.ClientState created = chats.upsertClient(org, client("c-1", "Ann", "+100"));
        assertThat(created.currentChatId()).isNull();
        long chatId = chats.createChat(new ChatStore.NewChat(companyId, org, created.clientId(), 9, null, null, null, false));

        ChatStore.ClientState again = chats.upsertClient(org, client("c-1", null, null));
        assertThat(again).isEqualTo(new ChatStore.ClientState(created.clientId(), chatId));
        assertThat(chats.findChat(chatId).orElseThrow().client().name()).as("null fields keep what is stored").isEqualTo("Ann");

        chats.upsertClient(org, client("c-1", "Anna", null));
        assertThat(chats.findChat(chatId).orElseThrow().client()).extracting(c -> c.name(), c -> c.phone())
                .containsExactly("Anna", "+100");

        chats.setStatus(chatId, 4);
        assertThat(chats.upsertClient(org, client("c-1", null, null)).currentChatId()).as("a Closed chat is not current").isNull();
        assertThat(chats.upsertClient(organization(companyId), client("c-1", null, null)).clientId())
                .as("the same external id in another organization is another client").isNotEqualTo(created.clientId());
    }

    @Test
    void appendingGivesEachMessageTheNextSeqAndTheSendersName() {
        long companyId = company();
        long org = organization(companyId);
        long anna = operator(org, "Anna");
        long chatId = chats.createChat(new ChatStore.NewChat(companyId, org, chats.upsertClient(org, client("c-2", "Bob", null)).clientId(), 9, null, null, null, false));

        var first = chats.appendMessage(new ChatStore.NewMessage(chatId, 1, "hi", null, null, null)).orElseThrow();
        var second = db.tx(h -> chats.appendMessage(new ChatStore.NewMessage(chatId, 0, "hello", null, anna, "k-1")).orElseThrow());

        assertThat(first.message().seq()).isEqualTo(1);
        assertThat(first.message().operator()).isNull();
        assertThat(first.companyId()).isEqualTo(companyId);
        assertThat(first.organizationId()).isEqualTo(org);
        assertThat(second.message().seq()).isEqualTo(2);
        assertThat(second.message().operator()).isEqualTo(new Message.OperatorRef(anna, "Anna"));
        assertThat(chats.messages(chatId, 0, 10)).extracting(Message::seq, Message::message)
                .containsExactly(tuple(1L, "hi"), tuple(2L, "hello"));
        assertThat(chats.findMessageByClientKey(chatId, "k-1")).map(Message::id).contains(second.message().id());
        Chat chat = chats.findChat(chatId).orElseThrow();
        assertThat(chat.lastSeq()).isEqualTo(2);
        assertThat(chat.countUnread()).as("only the client's message counts as unread").isEqualTo(1);
        assertThat(chat.lastMessage().id()).isEqualTo(second.message().id());
    }

    @Test
    void appendingToAMissingChatChangesNothingAndTheNextAppendStillWorks() {
        long companyId = company();
        long org = organization(companyId);
        long chatId = chats.createChat(new ChatStore.NewChat(companyId, org, chats.upsertClient(org, client("c-3", null, null)).clientId(), 9, null, null, null, false));

        assertThat(chats.appendMessage(new ChatStore.NewMessage(chatId + 1_000_000, 1, "lost", null, null, null))).isEmpty();
        // A failing insert (a repeated client key) rolls back the seq its UPDATE took, and leaves the kept statements usable.
        chats.appendMessage(new ChatStore.NewMessage(chatId, 1, "one", null, null, "dup"));
        assertThatThrownBy(() -> chats.appendMessage(new ChatStore.NewMessage(chatId, 1, "two", null, null, "dup")))
                .isInstanceOf(RuntimeException.class);

        var next = chats.appendMessage(new ChatStore.NewMessage(chatId, 1, "three", null, null, null)).orElseThrow();
        assertThat(next.message().seq()).isEqualTo(2);
        assertThat(chats.messages(chatId, 0, 10)).extracting(Message::message).containsExactly("one", "three");
    }

    @Test
    void aChatsScopeIsItsCompanyAndOrganization() {
        long companyId = company();
        long org = organization(companyId);
        long chatId = chats.createChat(new ChatStore.NewChat(companyId, org, chats.upsertClient(org, client("c-4", null, null)).clientId(), 9, null, null, null, false));

        assertThat(chats.findScope(chatId)).contains(new ChatStore.Scope(chatId, companyId, org));
        assertThat(chats.findScope(chatId + 1_000_000)).isEmpty();
    }
}
