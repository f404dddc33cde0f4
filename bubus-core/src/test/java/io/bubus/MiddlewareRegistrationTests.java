package io.bubus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Registering middlewares by instance and by class (spec/integrations §2.1, §2.4): a
 * class is instantiated once, the order of registration is the order of the hooks.
 */
class MiddlewareRegistrationTests {

	static final List<String> CALLS = new CopyOnWriteArrayList<>();

	static final AtomicInteger CONSTRUCTED = new AtomicInteger();

	public static class Counted implements EventBusMiddleware {

		public Counted() {
			CONSTRUCTED.incrementAndGet();
		}

		@Override
		public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
			CALLS.add("class:" + status.wireValue());
		}

	}

	public static class NeedsArgument implements EventBusMiddleware {

		public NeedsArgument(String required) {
		}

	}

	public static class FailsToStart implements EventBusMiddleware {

		public FailsToStart() {
			throw new IllegalStateException("no config");
		}

	}

	static class Ping extends BaseEvent<String> {

	}

	@Test
	void aClassIsInstantiatedOnceAndRunsInRegistrationOrderWithInstances() {
		CALLS.clear();
		CONSTRUCTED.set(0);
		EventBusMiddleware instance = new EventBusMiddleware() {
			@Override
			public void onEventChange(EventBus bus, BaseEvent<?> event, EventStatus status) {
				CALLS.add("instance:" + status.wireValue());
			}
		};
		try (EventBus bus = EventBus.builder("MwByClass").middleware(Counted.class).middleware(instance).build()) {
			bus.on(Ping.class, (event) -> "pong");
			for (int i = 0; i < 3; i++) {
				bus.emit(new Ping()).done(Duration.ofSeconds(10));
			}
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(10))).isTrue();
			await().until(() -> CALLS.size() == 3 * 3 * 2);
		}
		assertThat(CONSTRUCTED).hasValue(1);
		assertThat(CALLS.subList(0, 6)).containsExactly("class:pending", "instance:pending", "class:started",
				"instance:started", "class:completed", "instance:completed");
	}

	@Test
	void aClassThatCannotBeInstantiatedIsRejectedWithItsName() {
		assertThatIllegalArgumentException().isThrownBy(() -> EventBus.builder("MwBad").middleware(NeedsArgument.class))
			.withMessageContaining(NeedsArgument.class.getName())
			.withMessageContaining("no-argument constructor");
		assertThatIllegalArgumentException().isThrownBy(() -> EventBus.builder("MwBad").middleware(FailsToStart.class))
			.withMessageContaining(FailsToStart.class.getName())
			.withMessageContaining("no config");
	}

}
