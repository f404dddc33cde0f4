package io.bubus.bridge;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.bubus.bridge.BridgeTesting.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendBatchingTests {

	@TempDir
	Path dir;

	@Test
	void defaultsAreDocumentedAndEveryOptionReturnsANewInstance() {
		SendBatching defaults = SendBatching.defaults();
		assertThat(defaults.maxBatchSize()).isEqualTo(256);
		assertThat(defaults.linger()).isEqualTo(Duration.ofMillis(1));
		assertThat(defaults.queueCapacity()).isEqualTo(10_000);
		assertThat(defaults.queueFullTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(defaults.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
		SendBatching changed = defaults.maxBatchSize(16).linger(Duration.ZERO).queueCapacity(100);
		assertThat(changed.maxBatchSize()).isEqualTo(16);
		assertThat(changed.queueCapacity()).isEqualTo(100);
		assertThat(defaults.maxBatchSize()).isEqualTo(256);
	}

	@Test
	void badOptionsAreRejectedNamingTheOption() {
		SendBatching defaults = SendBatching.defaults();
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.maxBatchSize(0))
			.withMessage("maxBatchSize must be between 1 and queueCapacity (10000), got 0");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.queueCapacity(100))
			.withMessage("queueCapacity must be >= maxBatchSize (256), got 100");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.linger(Duration.ofMillis(-1)))
			.withMessage("linger must be >= 0, got PT-0.001S");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.closeTimeout(Duration.ZERO))
			.withMessage("closeTimeout must be > 0, got PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> defaults.queueFullTimeout(Duration.ZERO))
			.withMessage("queueFullTimeout must be > 0, got PT0S");
	}

	@Test
	void aBridgeThatCannotBatchSaysWhichCan() {
		try (HttpEventBridge http = new HttpEventBridge(URI.create("http://127.0.0.1:9/events"), null, "Web", null)) {
			assertThatThrownBy(() -> http.batchSends(SendBatching.defaults()))
				.isInstanceOf(UnsupportedOperationException.class)
				.hasMessage("HttpEventBridge Web cannot send in batches; JsonlEventBridge, SqliteEventBridge, "
						+ "PostgresEventBridge, RabbitMqEventBridge, NatsEventBridge, NatsJetStreamEventBridge and "
						+ "KafkaEventBridge can");
			assertThat(http.canBatchSends()).isFalse();
			assertThat(http.sendBatching()).isNull();
			assertThat(http.flush()).isCompleted();
			assertThat(http.pendingSends()).isZero();
		}
	}

	@Test
	void batchingIsChosenBeforeTheFirstEmit() {
		try (JsonlEventBridge bridge = new JsonlEventBridge(this.dir.resolve("a.jsonl"), Duration.ofSeconds(1), "Early",
				false)) {
			assertThat(bridge.sendBatching()).isNull();
			assertThat(bridge.canBatchSends()).isTrue();
			bridge.emit(note("sent at once"));
			assertThat(bridge.canBatchSends()).isFalse();
			assertThatIllegalStateException().isThrownBy(() -> bridge.batchSends(SendBatching.defaults()))
				.withMessage("bridge Early: batchSends must be called before the first emit "
						+ "(events were already sent one by one)");
		}
	}

	@Test
	void aClosedBatchingBridgeRefusesNewEvents() {
		JsonlEventBridge bridge = new JsonlEventBridge(this.dir.resolve("b.jsonl"), Duration.ofSeconds(1), "Closed",
				false)
			.batchSends(SendBatching.defaults());
		bridge.close();
		assertThatThrownBy(() -> bridge.emit(note("late"))).isInstanceOf(BridgeException.class)
			.hasMessage("bridge Closed is closed; the event was not sent");
	}

}
