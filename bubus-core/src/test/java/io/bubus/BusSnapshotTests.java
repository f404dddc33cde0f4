package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Core scenario 12: a whole bus written as bubus JSON and restored, then resumed; and the
 * bus snapshot vector written by bubus-ts.
 */
class BusSnapshotTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class SnapshotEvent extends BaseEvent<String> {

		public String label;

		public SnapshotEvent() {
		}

		public SnapshotEvent(String label) {
			this.label = label;
		}

	}

	/**
	 * A bus whose runloop is held (package-private pause) with event1 seeded (h1
	 * completed "seeded", h2 pending) and event2 queued behind it.
	 */
	private static final class Seeded {

		final EventBus bus;

		final EventHandler h1;

		final EventHandler h2;

		final SnapshotEvent event1;

		final SnapshotEvent event2;

		Seeded(String name) {
			this.bus = EventBus.builder(name)
				.eventConcurrency(EventConcurrency.PARALLEL)
				.eventHandlerCompletion(HandlerCompletion.ALL)
				.eventTimeout(null)
				.eventHandlerSlowTimeout(Duration.ofMillis(1500))
				.maxHistorySize(50)
				.maxHistoryDrop(true)
				.build();
			this.h1 = this.bus.on(SnapshotEvent.class, (event) -> "h1 live " + event.label);
			this.h2 = this.bus.on(SnapshotEvent.class, (event) -> "h2 live " + event.label,
					HandlerOptions.defaults().timeout(Duration.ofSeconds(5)));
			this.bus.pause();
			this.event1 = this.bus.emit(new SnapshotEvent("one"));
			this.event2 = this.bus.emit(new SnapshotEvent("two"));
			List<EventResult<?>> rows = Visit.createRows(this.bus, this.event1, null);
			rows.get(0).complete("seeded");
		}

	}

	@Test
	void restoredBusKeepsConfigurationHandlersHistoryAndQueue() {
		Seeded seeded = new Seeded("SnapshotRestoreBus");
		String json = seeded.bus.toJson();
		seeded.bus.stop();

		EventBus restored = EventBus.fromJson(json);
		try {
			assertThat(restored.id()).isEqualTo(seeded.bus.id());
			assertThat(restored.name()).isEqualTo("SnapshotRestoreBus");
			assertThat(restored.label()).isEqualTo(seeded.bus.label());
			assertThat(restored.eventConcurrency()).isEqualTo(EventConcurrency.PARALLEL);
			assertThat(restored.eventHandlerConcurrency()).isEqualTo(HandlerConcurrency.SERIAL);
			assertThat(restored.eventHandlerCompletion()).isEqualTo(HandlerCompletion.ALL);
			assertThat(restored.eventTimeout()).isNull();
			assertThat(restored.eventSlowTimeout()).isEqualTo(Duration.ofSeconds(300));
			assertThat(restored.eventHandlerSlowTimeout()).isEqualTo(Duration.ofMillis(1500));
			assertThat(restored.maxHistorySize()).isEqualTo(50);
			assertThat(restored.maxHistoryDrop()).isTrue();

			assertThat(restored.handlersByKey()).isEqualTo(seeded.bus.handlersByKey());
			assertThat(restored.handlers()).extracting(EventHandler::id)
				.containsExactly(seeded.h1.id(), seeded.h2.id());
			EventHandler h2 = restored.handlers().get(1);
			assertThat(h2.handlerName()).isEqualTo(seeded.h2.handlerName());
			assertThat(h2.handlerFilePath()).isEqualTo(seeded.h2.handlerFilePath());
			assertThat(h2.handlerRegisteredAt()).isEqualTo(seeded.h2.handlerRegisteredAt());
			assertThat(h2.handlerTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(restored.handlers().get(0).handlerTimeoutSet()).isFalse();

			assertThat(restored.eventHistory()).extracting(BaseEvent::eventId)
				.containsExactly(seeded.event1.eventId(), seeded.event2.eventId());
			assertThat(restored.queueSize()).isEqualTo(2);
			JsonNode original = JsonVectors.tree(json);
			JsonNode again = JsonVectors.tree(restored.toJson());
			assertThat(again.get("pending_event_queue")).isEqualTo(original.get("pending_event_queue"));
			assertThat(again.get("handlers_by_key")).isEqualTo(original.get("handlers_by_key"));
			assertThat(again.get("handlers")).isEqualTo(original.get("handlers"));
			JsonVectors.assertMatches(original, again, "snapshot");

			BaseEvent<?> event1 = restored.eventHistory().get(0);
			assertThat(event1).isInstanceOf(SnapshotEvent.class);
			assertThat(((SnapshotEvent) event1).label).isEqualTo("one");
			for (EventResult<?> row : event1.eventResults().values()) {
				assertThat(row.handler()).isSameAs(restored.handlers()
					.stream()
					.filter((handler) -> handler.id().equals(row.handlerId()))
					.findFirst()
					.orElseThrow());
			}
		}
		finally {
			restored.stop();
		}
	}

	@Test
	void restoredBusResumesQueuedEventsOnTheNextEmitWithoutRerunningCompletedRows() {
		Seeded seeded = new Seeded("SnapshotResumeBus");
		String json = seeded.bus.toJson();
		seeded.bus.stop();

		try (EventBus restored = EventBus.fromJson(json)) {
			BaseEvent<?> event1 = restored.eventHistory().get(0);
			BaseEvent<?> event2 = restored.eventHistory().get(1);
			assertThat(event1.eventStatus()).isNotEqualTo(EventStatus.COMPLETED);

			SnapshotEvent event3 = restored.emit(new SnapshotEvent("three"));

			assertThat(event3.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(event1.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(event2.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(restored.waitUntilIdle(WAIT)).isTrue();

			EventResult<?> h1Row = event1.eventResults().get(seeded.h1.id());
			EventResult<?> h2Row = event1.eventResults().get(seeded.h2.id());
			assertThat(h1Row.status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(h1Row.result()).isEqualTo("seeded");
			assertThat(h2Row.status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(h2Row.result()).isNull();
			assertThat(h2Row.error()).isNull();
			for (BaseEvent<?> event : List.of(event2, event3)) {
				assertThat(event.eventResults()).containsOnlyKeys(seeded.h1.id(), seeded.h2.id());
				assertThat(event.eventResults().values()).allSatisfy((row) -> {
					assertThat(row.status()).isEqualTo(ResultStatus.COMPLETED);
					assertThat(row.result()).isNull();
				});
			}
			assertThat(event1.eventPendingBusCount()).isZero();
			assertThat(restored.eventHistory()).containsExactly(event1, event2, event3);
			assertThat(restored.queueSize()).isZero();
		}
	}

	@Test
	void waitUntilIdleDrainsTheRestoredQueueWithoutAnEmit() {
		Seeded seeded = new Seeded("SnapshotIdleBus");
		String json = seeded.bus.toJson();
		seeded.bus.stop();

		try (EventBus restored = EventBus.fromJson(json)) {
			assertThat(restored.waitUntilIdle(WAIT)).isTrue();

			assertThat(restored.queueSize()).isZero();
			assertThat(restored.eventHistory()).hasSize(2)
				.allSatisfy((event) -> assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED));
			assertThat(restored.eventHistory().get(0).eventResults().get(seeded.h1.id()).result()).isEqualTo("seeded");
		}
	}

	@Test
	void handlerMissingFromTheSnapshotIsRecreatedFromItsResultRows() {
		Seeded seeded = new Seeded("SnapshotMissingBus");
		ObjectNode json = (ObjectNode) JsonVectors.tree(seeded.bus.toJson());
		seeded.bus.stop();
		((ObjectNode) json.get("handlers")).remove(seeded.h2.id());
		ArrayNode ids = (ArrayNode) json.get("handlers_by_key").get("SnapshotEvent");
		ids.remove(1);

		try (EventBus restored = EventBus.fromJson(json.toString())) {
			assertThat(restored.handlers()).extracting(EventHandler::id).contains(seeded.h1.id(), seeded.h2.id());
			assertThat(restored.handlersByKey().get("SnapshotEvent")).contains(seeded.h1.id(), seeded.h2.id());
			EventHandler recreated = restored.handlers()
				.stream()
				.filter((handler) -> handler.id().equals(seeded.h2.id()))
				.findFirst()
				.orElseThrow();
			assertThat(recreated.handlerName()).isEqualTo(seeded.h2.handlerName());
			assertThat(recreated.eventPattern()).isEqualTo("SnapshotEvent");
			BaseEvent<?> event1 = restored.eventHistory().get(0);
			assertThat(event1.eventResults().get(seeded.h2.id()).handler()).isSameAs(recreated);

			restored.emit(new SnapshotEvent("three")).done(WAIT);
			assertThat(event1.done(WAIT).eventResults().get(seeded.h2.id()).status()).isEqualTo(ResultStatus.COMPLETED);
		}
	}

	@Test
	void childIdsAreLinkedBackToRestoredEvents() {
		try (EventBus bus = new EventBus("SnapshotChildrenBus")) {
			List<SnapshotEvent> children = new ArrayList<>();
			bus.on(SnapshotEvent.class, (event) -> {
				if (event.label.equals("parent")) {
					children.add(bus.emit(new SnapshotEvent("child")));
				}
				return event.label;
			});
			SnapshotEvent parent = bus.emit(new SnapshotEvent("parent"));
			parent.done(WAIT);
			String json = bus.toJson();
			bus.stop();

			try (EventBus restored = EventBus.fromJson(json)) {
				BaseEvent<?> restoredParent = restored.eventHistory().get(0);
				BaseEvent<?> restoredChild = restored.eventHistory().get(1);
				assertThat(restoredChild.eventId()).isEqualTo(children.get(0).eventId());
				assertThat(restoredParent.eventChildren()).containsExactly(restoredChild);
				assertThat(restored.eventIsChildOf(restoredChild, restoredParent)).isTrue();
				assertThat(JsonVectors.tree(restored.toJson()).get("event_history"))
					.isEqualTo(JsonVectors.tree(json).get("event_history"));
			}
		}
	}

	@Test
	void busSnapshotVectorRestoresAndWritesBackTheSameJson() {
		JsonNode vector = JsonVectors.tree(JsonVectors.read("bus-snapshot.json"));

		try (EventBus restored = EventBus.fromJson(vector.toString())) {
			assertThat(restored.name()).isEqualTo("SnapshotBus");
			assertThat(restored.id()).isEqualTo("01a20736-499a-710f-802f-e53944cfea48");
			assertThat(restored.label()).isEqualTo("SnapshotBus#ea48");
			assertThat(restored.eventTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(restored.maxHistorySize()).isEqualTo(100);
			assertThat(restored.handlersByKey())
				.isEqualTo(Map.of("StringResultEvent", List.of("d1fe7dc5-a593-52a9-90f4-66f00f873677")));
			assertThat(restored.queueSize()).isZero();
			BaseEvent<?> snap = restored.eventHistory().get(0);
			assertThat(snap.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(new ArrayList<Object>(snap.eventResultsList())).containsExactly("snap");
			assertThat(snap.eventResults().values().iterator().next().handler()).isSameAs(restored.handlers().get(0));

			JsonVectors.assertMatches(vector, JsonVectors.tree(restored.toJson()), "bus-snapshot");

			BaseEvent<?> next = restored.emit(new DynamicEvent("StringResultEvent", Map.of("order_id", "s-2")));
			assertThat(next.done(WAIT).eventResults()).hasSize(1);
			assertThat(next.eventResults().values().iterator().next().status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat(restored.eventHistory()).hasSize(2);
		}
	}

	@Test
	void malformedSnapshotsAreRefusedNamingTheField() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventBus.fromJson("[]"));
		String base = "{\"id\":\"01a20736-499a-710f-802f-e53944cfea48\",\"name\":\"SnapshotBadBus\"";
		assertThatIllegalArgumentException().isThrownBy(() -> EventBus.fromJson(base + ",\"handlers\":[]}"))
			.withMessageContaining("\"handlers\"");
		assertThatIllegalArgumentException().isThrownBy(() -> EventBus.fromJson(base + ",\"handlers_by_key\":1}"))
			.withMessageContaining("\"handlers_by_key\"");
		assertThatIllegalArgumentException().isThrownBy(() -> EventBus.fromJson(base + ",\"event_history\":[]}"))
			.withMessageContaining("\"event_history\"");
		assertThatIllegalArgumentException().isThrownBy(() -> EventBus.fromJson(base + ",\"pending_event_queue\":{}}"))
			.withMessageContaining("\"pending_event_queue\"");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventBus.fromJson(base + ",\"pending_event_queue\":[\"nope\"]}"))
			.withMessageContaining("\"pending_event_queue\"");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> EventBus.fromJson(base + ",\"event_concurrency\":\"sometimes\"}"))
			.withMessageContaining("\"event_concurrency\"");
	}

}
