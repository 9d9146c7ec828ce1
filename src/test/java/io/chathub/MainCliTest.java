package io.chathub;

import io.chathub.auth.Passwords;
import io.chathub.company.Company;
import io.chathub.company.JdbiCompanyStore;
import io.chathub.db.Database;
import io.chathub.testing.DatabaseTest;
import io.chathub.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line, {@code Main.run(args, env, out, err)}, against a real database. */
class MainCliTest extends DatabaseTest {
    private record Result(int exit, String out, String err) {}

    private static Result run(Map<String, String> env, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit;
        try (var o = new PrintStream(out, true, StandardCharsets.UTF_8); var e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(args, env, o, e);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Result run(String... args) {
        return run(testDatabase.env(), args);
    }

    private static Optional<Company> findCompany(String login) {
        try (Database db = Database.open(testDatabase.config().build(), new SimpleMeterRegistry())) {
            return new JdbiCompanyStore(db).findByLogin(login);
        }
    }

    @Test
    void helpPrintsUsage() {
        for (String help : new String[] {"help", "--help", "-h"}) {
            Result r = run(help);

            assertThat(r.exit()).as(help).isZero();
            assertThat(r.out()).contains("Usage").contains("company create --login L --password P --name N").contains("serve");
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void companyCreatePrintsTheNewIdAndStoresTheCompany() {
        String login = TestServer.uniqueLogin();

        Result r = run("company", "create", "--login", login, "--password", "s3cret-password", "--name", "Acme Ltd");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).matches("\\d+\\R");
        long id = Long.parseLong(r.out().strip());
        assertThat(id).isPositive();
        Company company = findCompany(login).orElseThrow();
        assertThat(company.id()).isEqualTo(id);
        assertThat(company.name()).isEqualTo("Acme Ltd");
        assertThat(company.passwordHash()).startsWith("$argon2id$").doesNotContain("s3cret-password");
        assertThat(Passwords.verify("s3cret-password", company.passwordHash())).isTrue();
    }

    @Test
    void optionsMayBeGivenWithEquals() {
        String login = TestServer.uniqueLogin();

        Result r = run("company", "create", "--login=" + login, "--password=long-enough-pw", "--name=Equals Inc");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(findCompany(login)).map(Company::name).contains("Equals Inc");
    }

    @Test
    void duplicateLoginFailsWithExit1AndKeepsTheFirstCompany() {
        String login = TestServer.uniqueLogin();
        assertThat(run("company", "create", "--login", login, "--password", "first-password", "--name", "First").exit()).isZero();

        Result r = run("company", "create", "--login", login.toUpperCase(), "--password", "second-password", "--name", "Second");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: ").contains("taken");
        assertThat(findCompany(login)).map(Company::name).contains("First");
    }

    @Test
    void invalidCompanyFieldsFailWithExit1AndCreateNothing() {
        String login = TestServer.uniqueLogin();

        Result shortPassword = run("company", "create", "--login", login, "--password", "short", "--name", "X");
        Result badLogin = run("company", "create", "--login", "no spaces allowed", "--password", "long-enough-pw", "--name", "X");
        Result blankName = run("company", "create", "--login", login, "--password", "long-enough-pw", "--name", " ");

        assertThat(shortPassword.exit()).isEqualTo(1);
        assertThat(shortPassword.err()).contains("Password");
        assertThat(badLogin.exit()).isEqualTo(1);
        assertThat(badLogin.err()).contains("Login");
        assertThat(blankName.exit()).isEqualTo(1);
        assertThat(blankName.err()).contains("Name");
        assertThat(findCompany(login)).isEmpty();
    }

    @Test
    void missingOptionExits2NamingIt() {
        String login = TestServer.uniqueLogin();

        Result r = run("company", "create", "--login", login, "--password", "long-enough-pw");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Missing --name").contains("Usage");
        assertThat(r.out()).isEmpty();
        assertThat(findCompany(login)).isEmpty();
    }

    @Test
    void malformedArgumentsExit2() {
        assertThat(run("company", "create", "--login", "abc", "--password", "long-enough-pw", "--name").exit()).isEqualTo(2);
        assertThat(run("company", "create", "stray", "--login", "abc").exit()).isEqualTo(2);
        assertThat(run("company").exit()).isEqualTo(2);
        assertThat(run("company", "delete", "--login", "abc").exit()).isEqualTo(2);
    }

    @Test
    void unknownCommandExits2WithUsage() {
        Result r = run("frobnicate");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown command 'frobnicate'").contains("Usage");
    }

    @Test
    void invalidConfigurationExits2() {
        var env = new HashMap<>(testDatabase.env());
        env.put("CHATHUB_PORT", "eighty");

        Result r = run(env, "company", "create", "--login", TestServer.uniqueLogin(), "--password", "long-enough-pw", "--name", "X");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("CHATHUB_PORT");
    }
}
