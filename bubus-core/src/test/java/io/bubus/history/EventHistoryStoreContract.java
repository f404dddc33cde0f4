package io.bubus.history;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHistoryStore;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What every {@link JdbcEventHistoryStore} database must do: keep completed events across
 * a restart (a new bus of the same name on a new store over the same database) and let
 * {@code find} look past the in-memory window.
 */
abstract class EventHistoryStoreContract {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** A new store over this test's database (the same database on every call). */
	abstract JdbcEventHistoryStore openStore();

	private static EventBus bus(String name, EventHistoryStore store) {
		EventBus bus = EventBus.builder(name).maxHistorySize(5).maxHistoryDrop(true).historyStore(store).build();
		bus.on(HistoryOrder.class, (order) -> {
			if (order.orderId % 10 == 0) {
				bus.emit(new HistoryShipment(order.orderId)).done();
			}
			return "ok-" + order.orderId;
		});
		bus.on(HistoryShipment.class, (shipment) -> "shipped-" + shipment.orderId);
		return bus;
	}

	private static void emitOrders(EventBus bus, int count) {
		for (int i = 0; i < count; i++) {
			bus.emit(new HistoryOrder(i)).done(WAIT);
		}
		assertThat(bus.waitUntilIdle(WAIT)).isTrue();
	}

	@Test
	void findLooksPastTheInMemoryWindowIntoTheStore() {
		try (JdbcEventHistoryStore store = openStore(); EventBus bus = bus("StoreWindow", store)) {
			emitOrders(bus, 30);
			assertThat(bus.eventHistory()).filteredOn(HistoryOrder.class::isInstance)
				.noneMatch((event) -> ((HistoryOrder) event).orderId == 3);

			Optional<HistoryOrder> third = bus.find(HistoryOrder.class).where((order) -> order.orderId == 3).get();
			assertThat(third).hasValueSatisfying((order) -> {
				assertThat(order.eventStatus()).isEqualTo(EventStatus.COMPLETED);
				assertThat(order.eventResults().values()).extracting(EventResult::result).containsExactly("ok-3");
			});
			assertThat(bus.find(HistoryOrder.class).where((order) -> order.orderId == 99).get()).isEmpty();
			assertThat(bus.find("HistoryShipment").where((event) -> event.eventId() != null).get())
				.hasValueSatisfying((event) -> assertThat(event.eventType()).isEqualTo("HistoryShipment"));
		}
	}

	@Test
	void historySurvivesARestartOfTheBus() {
		String firstId;
		try (JdbcEventHistoryStore store = openStore(); EventBus bus = bus("StoreRestart", store)) {
			emitOrders(bus, 12);
			firstId = bus.find(HistoryOrder.class).where((order) -> order.orderId == 0).get().orElseThrow().eventId();
		}

		try (JdbcEventHistoryStore store = openStore(); EventBus restarted = bus("StoreRestart", store)) {
			assertThat(restarted.eventHistory()).isEmpty();
			assertThat(restarted.find(HistoryOrder.class).get())
				.hasValueSatisfying((order) -> assertThat(order.orderId).isEqualTo(11));
			HistoryOrder first = restarted.find(HistoryOrder.class)
				.where((order) -> order.orderId == 0)
				.get()
				.orElseThrow();
			assertThat(first.eventId()).isEqualTo(firstId);
			assertThat(first.eventResult()).isEqualTo("ok-0");

			// parent links are followed through the store
			assertThat(restarted.find(HistoryShipment.class).childOf(first).get())
				.hasValueSatisfying((shipment) -> assertThat(shipment.orderId).isZero());
			HistoryOrder tenth = restarted.find(HistoryOrder.class)
				.where((order) -> order.orderId == 10)
				.get()
				.orElseThrow();
			assertThat(restarted.find(HistoryShipment.class).childOf(tenth).get())
				.hasValueSatisfying((shipment) -> assertThat(shipment.orderId).isEqualTo(10));

			// new events join the old ones
			restarted.emit(new HistoryOrder(100)).done(WAIT);
			assertThat(restarted.waitUntilIdle(WAIT)).isTrue();
			assertThat(store.newestFirst("StoreRestart", "HistoryOrder", null).count()).isEqualTo(13);
		}
	}

	@Test
	void pastWindowExcludesOlderStoredEvents() {
		try (JdbcEventHistoryStore store = openStore(); EventBus bus = bus("StoreWindowed", store)) {
			BaseEvent<?> old = BaseEvent.fromJson(
					new HistoryOrder(7).toJson().replaceFirst("(\"event_created_at\"\\s*:\\s*\")\\d{4}", "$12020"),
					HistoryOrder.class);
			assertThat(old.eventCreatedAt()).isBefore(Instant.parse("2021-01-01T00:00:00Z"));
			store.save("StoreWindowed", old);

			assertThat(bus.find(HistoryOrder.class).past(Duration.ofDays(1)).get()).isEmpty();
			assertThat(bus.find(HistoryOrder.class).get())
				.hasValueSatisfying((order) -> assertThat(order.eventId()).isEqualTo(old.eventId()));
			assertThat(bus.find(HistoryOrder.class).past(false).get()).isEmpty();

			assertThat(store.deleteCreatedBefore(Instant.parse("2021-01-01T00:00:00Z"))).isEqualTo(1);
			assertThat(bus.find(HistoryOrder.class).get()).isEmpty();
		}
	}

	@Test
	void eachBusNameHasItsOwnHistoryAndPagesComeNewestFirst() {
		try (JdbcEventHistoryStore store = openStore();
				EventBus one = bus("StoreOne", store);
				EventBus two = bus("StoreTwo", store)) {
			emitOrders(one, 250);
			assertThat(two.find(HistoryOrder.class).get()).isEmpty();

			List<Integer> ids = store.newestFirst("StoreOne", "HistoryOrder", null)
				.map((json) -> BaseEvent.fromJson(json, HistoryOrder.class).orderId)
				.toList();
			assertThat(ids).hasSize(250).isSortedAccordingTo((a, b) -> Integer.compare(b, a));
			assertThat(one.find(HistoryOrder.class).where((order) -> order.orderId == 1).get()).isPresent();
			String newest = one.find(HistoryOrder.class).get().orElseThrow().eventId();
			assertThat(store.get("StoreOne", newest)).hasValueSatisfying(
					(json) -> assertThat(BaseEvent.fromJson(json, HistoryOrder.class).orderId).isEqualTo(249));
			assertThat(store.get("StoreTwo", newest)).isEmpty();
		}
	}

	@Test
	void aFailingStoreIsLoggedAndTheBusKeepsRunning() {
		JdbcEventHistoryStore store = openStore();
		try (EventBus bus = bus("StoreBroken", store)) {
			store.close();
			HistoryOrder order = bus.emit(new HistoryOrder(1));
			order.done(WAIT);
			assertThat(order.eventResult()).isEqualTo("ok-1");
			assertThat(bus.find(HistoryOrder.class).get()).containsSame(order);
			assertThatIllegalStateException().isThrownBy(() -> store.get("StoreBroken", order.eventId()))
				.withMessageContaining("closed");
		}
	}

}
