package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Core scenarios 36-37: forwarding with {@code a.on("*", b::emit)} along a chain, one
 * event object collecting every bus's results, and loop prevention.
 */
class ForwardingTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class RelayedEvent extends BaseEvent<String> {

	}

	@Test
	void chainRunsEachBusOnceInOrderOnOneEventObject() {
		try (EventBus a = new EventBus("ForwardChainA");
				EventBus b = new EventBus("ForwardChainB");
				EventBus c = new EventBus("ForwardChainC")) {
			List<String> calls = Collections.synchronizedList(new ArrayList<>());
			List<BaseEvent<?>> seen = Collections.synchronizedList(new ArrayList<>());
			a.on(RelayedEvent.class, (event) -> {
				calls.add("A");
				seen.add(event);
				return "from A";
			});
			b.on(RelayedEvent.class, (event) -> {
				Thread.sleep(50);
				calls.add("B");
				seen.add(event);
				return "from B";
			});
			c.on(RelayedEvent.class, (event) -> {
				calls.add("C");
				seen.add(event);
				return "from C";
			});
			a.on("*", b::emit);
			b.on("*", c::emit);

			RelayedEvent event = new RelayedEvent();
			long start = System.nanoTime();
			a.emit(event).done(WAIT);
			long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

			assertThat(calls).containsExactly("A", "B", "C");
			assertThat(seen).allSatisfy((received) -> assertThat(received).isSameAs(event));
			assertThat(elapsedMillis).isGreaterThanOrEqualTo(50);
			assertThat(event.eventPath()).containsExactly(a.label(), b.label(), c.label());
			assertThat(event.eventResults()).hasSize(5);
			assertThat(event.eventResults().values()).extracting(EventResult::eventbusName)
				.containsExactly(a.name(), a.name(), b.name(), b.name(), c.name());
			assertThat(event.eventResultsList()).containsExactly("from A", "from B", "from C");
			assertThat(event.eventChildren()).isEmpty();
			assertThat(event.eventParentId()).isNull();
			assertThat(event.eventEmittedByHandlerId()).isNull();
			assertThat(a.eventIsChildOf(event, event)).isFalse();
			assertThat(event.eventPendingBusCount()).isZero();
			assertThat(a.eventHistory()).containsExactly(event);
			assertThat(b.eventHistory()).containsExactly(event);
			assertThat(c.eventHistory()).containsExactly(event);
		}
	}

	@Test
	void forwarderResultIsTheEventAndTypedAccessorsIgnoreIt() {
		try (EventBus a = new EventBus("ForwardResultA"); EventBus b = new EventBus("ForwardResultB")) {
			EventHandler forwarder = a.on("*", b::emit);
			b.on(RelayedEvent.class, (event) -> "from B");
			RelayedEvent event = a.emit(new RelayedEvent());
			event.done(WAIT);

			EventResult<String> row = event.eventResults().get(forwarder.id());
			assertThat(row.status()).isEqualTo(ResultStatus.COMPLETED);
			assertThat((Object) row.result()).isSameAs(event);
			assertThat(forwarder.handlerName()).isEqualTo("EventBus.emit");
			assertThat(event.eventResultsList()).containsExactly("from B");
			assertThat(a.logTree()).contains("→ Event(RelayedEvent#" + event.eventId().substring(32) + ")");
		}
	}

	@Test
	void errorsOnTheTargetBusDoNotBlockTheSource() {
		try (EventBus a = new EventBus("ForwardErrorA"); EventBus b = new EventBus("ForwardErrorB")) {
			a.on(RelayedEvent.class, (event) -> "from A");
			a.on("*", b::emit);
			b.on(RelayedEvent.class, (event) -> {
				throw new IllegalStateException("B failed");
			});
			RelayedEvent event = a.emit(new RelayedEvent());
			RelayedEvent next = a.emit(new RelayedEvent());

			assertThat(event.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(next.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(event.eventResultsList(ResultFilter.defaults().raiseIfAny(false))).containsExactly("from A");
			assertThat(event.eventResults().values()).filteredOn((row) -> row.status() == ResultStatus.ERROR)
				.singleElement()
				.satisfies((row) -> assertThat(row.eventbusName()).isEqualTo(b.name()));
		}
	}

	@Test
	void forwardingCycleRunsEachBusOnce() {
		try (EventBus a = new EventBus("ForwardLoopA");
				EventBus b = new EventBus("ForwardLoopB");
				EventBus c = new EventBus("ForwardLoopC")) {
			List<String> calls = Collections.synchronizedList(new ArrayList<>());
			a.on(RelayedEvent.class, (event) -> calls.add("A") ? "A" : null);
			b.on(RelayedEvent.class, (event) -> calls.add("B") ? "B" : null);
			c.on(RelayedEvent.class, (event) -> calls.add("C") ? "C" : null);
			a.on("*", b::emit);
			b.on("*", c::emit);
			c.on("*", a::emit);

			RelayedEvent fromA = a.emit(new RelayedEvent());
			fromA.done(WAIT);
			assertThat(calls).containsExactly("A", "B", "C");
			assertThat(fromA.eventPath()).containsExactly(a.label(), b.label(), c.label());

			calls.clear();
			RelayedEvent fromB = b.emit(new RelayedEvent());
			fromB.done(WAIT);
			assertThat(calls).containsExactly("B", "C", "A");
			assertThat(fromB.eventPath()).containsExactly(b.label(), c.label(), a.label());
			assertThat(fromB.eventResultsList()).containsExactly("B", "C", "A");

			for (EventBus bus : List.of(a, b, c)) {
				assertThat(bus.waitUntilIdle(WAIT)).isTrue();
				assertThat(bus.queueSize()).isZero();
				assertThat(bus.eventHistory()).containsExactly(fromA, fromB);
			}
		}
	}

	@Test
	void sameNameBusesAreToldApartByLabel() {
		EventBus first = new EventBus("ForwardSameName");
		EventBus second = EventBus.builder("ForwardSameName").build();
		try (first; second) {
			assertThat(second.name()).startsWith("ForwardSameName_");
			assertThat(second.label()).isNotEqualTo(first.label());
			List<String> calls = Collections.synchronizedList(new ArrayList<>());
			first.on(RelayedEvent.class, (event) -> calls.add("first") ? "first" : null);
			second.on(RelayedEvent.class, (event) -> calls.add("second") ? "second" : null);
			first.on("*", second::emit);

			RelayedEvent event = first.emit(new RelayedEvent());
			event.done(WAIT);

			assertThat(calls).containsExactly("first", "second");
			assertThat(event.eventPath()).containsExactly(first.label(), second.label());
		}
	}

}
