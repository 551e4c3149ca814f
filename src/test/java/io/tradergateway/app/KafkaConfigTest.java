package io.tradergateway.app;

import io.tradergateway.kafka.KafkaSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kafka.* settings of SPEC §8: off by default, the documented defaults, environment overrides, bad values named. */
class KafkaConfigTest {

    @Test
    void kafkaIsOffByDefaultWithTheDocumentedTopicsAndGroup() {
        KafkaSettings k = GatewayConfig.load(null, Map.of()).kafka();
        assertThat(k.enabled()).isFalse();
        assertThat(k.bootstrapServers()).isEmpty();
        assertThat(k.plansTopic()).isEqualTo("trader.plans");
        assertThat(k.reportsTopic()).isEqualTo("trader.exec-reports");
        assertThat(k.groupId()).isEqualTo("trader-gateway");
        assertThat(k.deadLetterTopic()).isEqualTo("trader.plans.dlq");
        assertThat(k.cursorName()).isEqualTo("kafka:trader.exec-reports");
    }

    @Test
    void environmentAndFileTurnItOn(@TempDir Path dir) throws Exception {
        KafkaSettings k = GatewayConfig.load(null, Map.of("TRADER_KAFKA_BOOTSTRAP_SERVERS", "10.0.0.1:9092, kafka-2:9093",
                "TRADER_KAFKA_PLANS_TOPIC", "desk.plans", "TRADER_KAFKA_GROUP_ID", "desk-gw")).kafka();
        assertThat(k.enabled()).isTrue();
        assertThat(k.bootstrapServers()).isEqualTo("10.0.0.1:9092, kafka-2:9093");
        assertThat(k.plansTopic()).isEqualTo("desk.plans");
        assertThat(k.groupId()).isEqualTo("desk-gw");

        Path file = dir.resolve("gw.properties");
        Files.writeString(file, "kafka.bootstrap.servers=localhost:9092\nkafka.reports.topic=desk.reports\n");
        KafkaSettings fromFile = GatewayConfig.load(file, Map.of()).kafka();
        assertThat(fromFile.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(fromFile.reportsTopic()).isEqualTo("desk.reports");
        assertThat(GatewayConfig.load(file, Map.of()).describeSettings()).anyMatch(l -> l.startsWith("kafka.bootstrap.servers = 'localhost:9092'"));
    }

    @Test
    void aBadValueStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_KAFKA_BOOTSTRAP_SERVERS", "localhost")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.bootstrap.servers").hasMessageContaining("host:port");
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_KAFKA_PLANS_TOPIC", "bad topic")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.plans.topic");
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_KAFKA_REPORTS_TOPIC", "trader.plans")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.reports.topic");
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_KAFKA_REPORTS_TOPIC", "r".repeat(59))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.reports.topic").hasMessageContaining("58");
        assertThatThrownBy(() -> GatewayConfig.load(null, Map.of("TRADER_KAFKA_GROUP_ID", " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.group.id");
    }

    @Test
    void withKafkaKeepsEverythingElse() {
        GatewayConfig base = GatewayConfig.load(null, Map.of());
        GatewayConfig on = base.withKafka(KafkaSettings.disabled().withBootstrapServers("127.0.0.1:1"));
        assertThat(on.kafka().enabled()).isTrue();
        assertThat(on.withHttpPort(0).kafka()).isEqualTo(on.kafka());
        assertThat(on.withDataDir(Path.of("x")).kafka()).isEqualTo(on.kafka());
        assertThat(on.risk()).isEqualTo(base.risk());
        assertThat(on.settings()).isEqualTo(base.settings());
    }
}
