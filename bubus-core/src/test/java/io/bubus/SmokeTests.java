package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SmokeTests {

	public static class Ping extends BaseEvent<String> {

		public String who;

		public Ping() {
		}

		public Ping(String who) {
			this.who = who;
		}

	}

	public static class Child extends BaseEvent<String> {

	}

	@Test
	void emitAndResult() {
		try (EventBus bus = new EventBus("Smoke")) {
			bus.on(Ping.class, (event) -> "hello " + event.who);
			Ping ping = bus.emit(new Ping("ada"));
			assertThat(ping.eventResult()).isEqualTo("hello ada");
			assertThat(ping.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			System.out.println(ping.toJson());
			System.out.println(bus.logTree());
		}
	}

	@Test
	void queueJump() {
		try (EventBus bus = new EventBus("Jump")) {
			List<String> order = new ArrayList<>();
			bus.on(Ping.class, (event) -> {
				order.add("parent_start");
				bus.emit(new DynamicEvent("Sibling"));
				Child child = bus.emit(new Child());
				child.done();
				order.add("parent_end");
				return child.eventResult();
			});
			bus.on(Child.class, (event) -> {
				order.add("child");
				return "c";
			});
			bus.on("Sibling", (event) -> {
				order.add("sibling");
				return null;
			});
			Ping ping = bus.emit(new Ping("x"));
			assertThat(ping.done(Duration.ofSeconds(5)).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			bus.waitUntilIdle();
			assertThat(order).containsExactly("parent_start", "child", "parent_end", "sibling");
			assertThat(ping.eventResult()).isEqualTo("c");
			System.out.println(bus.logTree());
		}
	}

}
