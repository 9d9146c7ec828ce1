package io.chathub.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CHATHUB_DB_CONNECT_TIMEOUT: 5 s by default, 250 ms to 60 s, a clear error naming it otherwise. */
class DbConnectTimeoutTest {
    @Test
    void itIsFiveSecondsUnlessTheEnvironmentSaysOtherwise() {
        assertThat(Config.fromEnv(Map.of(), false).dbConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(Config.fromEnv(Map.of("CHATHUB_DB_CONNECT_TIMEOUT", "800ms"), false).dbConnectTimeout())
                .isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aTimeoutOutsideTwoHundredFiftyMillisecondsToSixtySecondsIsRefusedByName() {
        for (String bad : new String[] {"100ms", "2m", "soon"}) {
            assertThatThrownBy(() -> Config.fromEnv(Map.of("CHATHUB_DB_CONNECT_TIMEOUT", bad), false))
                    .hasMessageContaining("CHATHUB_DB_CONNECT_TIMEOUT");
        }
    }
}
