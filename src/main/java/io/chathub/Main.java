package io.chathub;

import io.chathub.auth.LoginThrottle;
import io.chathub.company.CompanyService;
import io.chathub.company.JdbiCompanyStore;
import io.chathub.config.Config;
import io.chathub.db.Database;
import io.chathub.demo.DemoData;
import io.chathub.web.ApiException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code chathub [serve | company create … | help]}. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private static final String HELP = """
            ChatHub — self-hosted omnichannel live chat

            Usage: ./chathub [command]

              (no command)      start the server with the demo company (login demo, password demo)
              serve             start the server (no demo data unless CHATHUB_DEMO=true)
              company create --login L --password P --name N
                                create a company and print its id
              help              show this help

            Configuration is by environment variables: CHATHUB_PORT (8080), CHATHUB_DATA_DIR (./data),
            CHATHUB_DB_URL (jdbc:postgresql://… switches to PostgreSQL; CHATHUB_DB_USER, CHATHUB_DB_PASSWORD),
            CHATHUB_DEV, CHATHUB_DEMO, CHATHUB_JWT_SECRET, CHATHUB_COMPANY_TOKEN_TTL. See README.md.
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) return serve(Config.fromEnv(env, true), out);
            return switch (args[0]) {
                case "serve" -> serve(Config.fromEnv(env, false), out);
                case "company" -> company(Arrays.copyOfRange(args, 1, args.length), Config.fromEnv(env, false), out, err);
                case "train" -> Training.run(env, out); // the launcher's, for the JVM's start-up cache: not in the help
                case "help", "--help", "-h" -> {
                    out.print(HELP);
                    yield 0;
                }
                default -> {
                    err.println("Unknown command '" + args[0] + "'.");
                    err.print(HELP);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
    }

    private static int serve(Config config, PrintStream out) {
        long started = System.nanoTime();
        ChatHub hub = ChatHub.start(config);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hub.close();
            stopped.countDown();
        }, "chathub-shutdown"));
        String url = "http://localhost:" + hub.port();
        out.printf("ChatHub ready at %s in %d ms (%s, node %s)%n", url, (System.nanoTime() - started) / 1_000_000,
                config.usesPostgres() ? "PostgreSQL" : "SQLite " + config.effectiveDbUrl().substring("jdbc:sqlite:".length()),
                io.chathub.auth.Secrets.nodeId(config));
        if (config.demo()) {
            out.printf("Demo company: login '%s', password '%s'%n", DemoData.LOGIN, DemoData.PASSWORD);
            out.printf("  curl -s -X POST %s/api/company/get-token -H 'Content-Type: application/json' -d '{\"login\":\"demo\",\"password\":\"demo\"}'%n", url);
        }
        if (isLoopback(config.host())) {
            out.printf("Listening on %s only (this machine); set CHATHUB_HOST=0.0.0.0 to accept other machines.%n", config.host());
        }
        if (config.dev()) {
            out.println("Development mode: the token 'test-token-for-development' acts as the demo operator.");
            log.warn("""

                    ************************************************************************************
                    *  DEVELOPMENT MODE (CHATHUB_DEV=true): NOT FOR PRODUCTION.                        *
                    *  The token 'test-token-for-development' acts as an operator without any login,   *
                    *  and every http://localhost page may call the API. Unset CHATHUB_DEV to end it.  *
                    ************************************************************************************""");
        }
        out.printf("Health %s/health/ready · metrics %s/metrics · API %s/openapi.json%n", url, url, url);
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    private static int company(String[] args, Config config, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("create")) {
            err.println("Usage: chathub company create --login L --password P --name N");
            return 2;
        }
        Map<String, String> opts = options(Arrays.asList(args).subList(1, args.length));
        for (String required : List.of("login", "password", "name")) {
            if (!opts.containsKey(required)) {
                err.println("Missing --" + required + ". Usage: chathub company create --login L --password P --name N");
                return 2;
            }
        }
        try (Database db = Database.open(config, new SimpleMeterRegistry())) {
            Clock clock = Clock.systemUTC();
            var service = new CompanyService(new JdbiCompanyStore(db), null,
                    new LoginThrottle(config.login(), clock), config.companyTokenTtl(), clock);
            long id = service.create(opts.get("login"), opts.get("password"), opts.get("name"));
            out.println(id);
            return 0;
        } catch (ApiException e) {
            err.println("error: " + e.detail());
            return 1;
        }
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument '" + a + "'");
            String key = a.substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                out.put(key.substring(0, eq), key.substring(eq + 1));
            } else {
                if (i + 1 >= args.size()) throw new IllegalArgumentException("--" + key + " needs a value");
                out.put(key, args.get(++i));
            }
        }
        return out;
    }

}
