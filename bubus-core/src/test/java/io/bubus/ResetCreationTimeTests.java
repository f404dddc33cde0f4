package io.bubus;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.bubus.bridge.JsonlEventBridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reset()} keeps {@code event_created_at}, as Python and TypeScript bubus do: a
 * received event tells when its sender created it, while history keeps emit order and
 * {@code find} windows count from creation.
 */
class ResetCreationTimeTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class Parcel extends BaseEvent<String> {

		public String label;

		public Parcel() {
		}

		public Parcel(String label) {
			this.label = label;
		}

	}

	@Test
	void resetKeepsTheCreationTimeAndGivesANewId() {
		Parcel original = new Parcel("p");

		BaseEvent<String> copy = original.reset();

		assertThat(copy.eventCreatedAt()).isEqualTo(original.eventCreatedAt());
		assertThat(copy.eventId()).isNotEqualTo(original.eventId());
		assertThat(original.reset().eventId()).isNotEqualTo(copy.eventId());
	}

	@Test
	void historyKeepsEmitOrderAndFindReturnsTheLastEmittedCopy() {
		try (EventBus bus = new EventBus("ResetHistoryBus")) {
			bus.on(Parcel.class, (event) -> event.label);
			Parcel older = new Parcel("older");
			Parcel newer = bus.emit(new Parcel("newer"));
			newer.done(WAIT);

			BaseEvent<?> copy = bus.emit(older.reset());
			copy.done(WAIT);

			assertThat(copy.eventCreatedAt()).isBefore(newer.eventCreatedAt());
			assertThat(bus.eventHistory()).containsExactly(newer, copy);
			assertThat(bus.find(Parcel.class).get()).containsSame((Parcel) copy);
		}
	}

	@Test
	void aPastWindowCountsFromTheSendersCreationTime() {
		Instant anHourAgo = Instant.now().minus(1, ChronoUnit.HOURS);
		String json = "{\"event_type\":\"Parcel\",\"label\":\"late\",\"event_created_at\":\"" + anHourAgo + "\"}";
		try (EventBus bus = new EventBus("ResetWindowBus")) {
			BaseEvent<?> received = bus.emit(BaseEvent.fromJson(json, Parcel.class).reset());
			received.done(WAIT);

			assertThat(received.eventCreatedAt()).isEqualTo(anHourAgo);
			assertThat(bus.find(Parcel.class).past(Duration.ofMinutes(1)).get()).isEmpty();
			assertThat(bus.find(Parcel.class).past(Duration.ofHours(2)).get()).containsSame((Parcel) received);
			assertThat(bus.find(Parcel.class).past(true).get()).containsSame((Parcel) received);
		}
	}

	@Test
	void aReceiverSeesTheSendersCreationTime(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("events.jsonl");
		try (JsonlEventBridge sender = new JsonlEventBridge(file, Duration.ofMillis(10), "CreatedSender", false);
				JsonlEventBridge receiver = new JsonlEventBridge(file, Duration.ofMillis(10), "CreatedReceiver",
						false)) {
			CompletableFuture<BaseEvent<?>> arrived = new CompletableFuture<>();
			receiver.on("Parcel", arrived::complete);
			Parcel sent = new Parcel("sent");

			sender.emit(sent);
			BaseEvent<?> received = arrived.get(WAIT.toSeconds(), TimeUnit.SECONDS);

			assertThat(received.eventCreatedAt()).isEqualTo(sent.eventCreatedAt());
			assertThat(received.eventId()).isNotEqualTo(sent.eventId());
			assertThat(List.of(received.eventType())).containsExactly("Parcel");
		}
	}

}
