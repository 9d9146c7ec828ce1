package io.chathub.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** CHATHUB_NODE_ID, CHATHUB_PRESENCE_LEASE and CHATHUB_ROUTING_SWEEP: defaults, and clear errors for bad values. */
class ClusterSettingsTest {
    @Test
    void defaultsAreAGeneratedNodeIdATenSecondLeaseAndAFiveSecondSweep() {
        Config.ClusterSettings c = Config.fromEnv(Map.of(), false).cluster();
        assertThat(c.nodeId()).isNull();
        assertThat(c.presenceLease()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.routingSweep()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theEnvironmentSetsThem() {
        Config.ClusterSettings c = Config.fromEnv(Map.of("CHATHUB_NODE_ID", "node-1.eu", "CHATHUB_PRESENCE_LEASE", "3s",
                "CHATHUB_ROUTING_SWEEP", "500ms"), false).cluster();
        assertThat(c).isEqualTo(new Config.ClusterSettings("node-1.eu", Duration.ofSeconds(3), Duration.ofMillis(500)));
    }

    @Test
    void aBadNodeIdOrALeaseBeyondFifteenSecondsIsRefusedByName() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CHATHUB_NODE_ID", "node 1"), false))
                .hasMessageContaining("CHATHUB_NODE_ID");
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CHATHUB_PRESENCE_LEASE", "20s"), false))
                .hasMessageContaining("CHATHUB_PRESENCE_LEASE");
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CHATHUB_ROUTING_SWEEP", "10ms"), false))
                .hasMessageContaining("CHATHUB_ROUTING_SWEEP");
    }
}
