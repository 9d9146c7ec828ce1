package io.chathub;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's commands work from a fresh shell whose {@code java} is older than 21 (here the default Java 17 on
 * the PATH, with no JAVA_HOME): the Maven wrapper finds a JDK 21 or newer itself.
 */
class ScriptsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    private record Run(int exit, String output) {}

    private static Run run(List<String> command) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().remove("CHATHUB_MVNW_JAVA_CHECKED");
        pb.environment().put("PATH", "/usr/bin:/bin");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void theMavenWrapperRunsOnAJdk21OrNewerWhateverJavaIsOnThePath() throws Exception {
        Run r = run(List.of("./mvnw", "-B", "--version"));
        assertThat(r.exit()).as(r.output()).isZero();
        Matcher m = Pattern.compile("Java version: (\\d+)").matcher(r.output());
        assertThat(m.find()).as(r.output()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isGreaterThanOrEqualTo(21);
    }
}
