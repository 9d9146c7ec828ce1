package io.chathub.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own (initdb in a temp dir, a free loopback port, trust auth, database {@code test}),
 * from the installed binaries (/usr/lib/postgresql/<version>/bin, the newest), so that a test can stop and start it
 * without touching the shared server on 5432. As root the binaries run as user {@code postgres} (initdb refuses root).
 * Closing stops it and deletes its files.
 */
public final class PrivatePostgres implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;

    private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    /** initdb, start, CREATE DATABASE test. */
    public static PrivatePostgres start() {
        Path bin = binaries();
        boolean asPostgres = "root".equals(System.getProperty("user.name"));
        Path dir;
        int port;
        try {
            dir = Files.createTempDirectory("chathub-private-pg-");
            if (asPostgres) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PrivatePostgres pg = new PrivatePostgres(bin, dir, port, asPostgres);
        try {
            pg.run("initdb", "-D", pg.data().toString(), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8");
            Files.writeString(pg.data().resolve("postgresql.conf"), "\nport = " + port + "\nlisten_addresses = '127.0.0.1'\n"
                    + "unix_socket_directories = '" + dir + "'\nfsync = off\nmax_connections = 40\n",
                    java.nio.file.StandardOpenOption.APPEND);
            pg.startServer();
            try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", null);
                 var s = c.createStatement()) {
                s.execute("CREATE DATABASE test");
            }
            return pg;
        } catch (IOException | SQLException | RuntimeException e) {
            pg.close();
            throw new IllegalStateException("could not run a private PostgreSQL from " + bin + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** A fresh schema in this server's database {@code test}, dropped when closed. */
    public TestDatabases.TestDatabase newDatabase() {
        return TestDatabases.postgres("127.0.0.1", Integer.toString(port));
    }

    /** pg_ctl start, waiting until it accepts connections. */
    public void startServer() {
        run("pg_ctl", "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "30", "start");
    }

    /** pg_ctl stop -m immediate: every backend dies at once, as in a crash (the next start recovers from the WAL). */
    public void crash() {
        run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "-t", "30", "stop");
    }

    private boolean running() {
        return Files.exists(data().resolve("postmaster.pid"));
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        if (asPostgres) command.addAll(List.of("runuser", "-u", "postgres", "--"));
        command.add(bin.resolve(tool).toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(tool + ".out").toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(tool + " did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ": "
                        + Files.readString(dir.resolve(tool + ".out")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The newest /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl. */
    private static Path binaries() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no initdb/pg_ctl under /usr/lib/postgresql/*/bin"));
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL's server binaries are not installed (/usr/lib/postgresql): " + e, e);
        }
    }

    @Override
    public void close() {
        try {
            if (running()) crash();
        } finally {
            TestDatabases.deleteRecursively(dir);
        }
    }
}
