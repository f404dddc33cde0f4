package io.bubus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import io.micrometer.context.ContextRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thread-local context registered with Micrometer's {@link ContextRegistry} is captured
 * at the first emit and restored around every handler, on every bus: spec/core §20,
 * scenario 40.
 */
class ContextPropagationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final String KEY = "bubus.test.request-id";

	private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

	public static class CtxRequest extends BaseEvent<String> {

		public String name = "";

		public CtxRequest() {
		}

		CtxRequest(String name) {
			this.name = name;
		}

	}

	public static class CtxChild extends BaseEvent<String> {

		public String name = "";

		public CtxChild() {
		}

		CtxChild(String name) {
			this.name = name;
		}

	}

	@BeforeEach
	void registerAccessor() {
		ContextRegistry.getInstance().registerThreadLocalAccessor(KEY, REQUEST_ID);
	}

	@AfterEach
	void removeAccessor() {
		ContextRegistry.getInstance().removeThreadLocalAccessor(KEY);
		REQUEST_ID.remove();
	}

	@RepeatedTest(20)
	void eachHandlerSeesTheValueFromTheTimeItsEventWasEmitted() throws Exception {
		CountDownLatch bothEmitted = new CountDownLatch(1);
		Map<String, String> seen = new ConcurrentHashMap<>();
		try (EventBus bus = new EventBus("CtxEmitTime")) {
			bus.on(CtxRequest.class, (event) -> {
				ConcurrencyProbe.awaitOpen(bothEmitted);
				seen.put(event.name, String.valueOf(REQUEST_ID.get()));
				return REQUEST_ID.get();
			});
			REQUEST_ID.set("req-A");
			CtxRequest a = bus.emit(new CtxRequest("a"));
			REQUEST_ID.set("req-B");
			CtxRequest b = bus.emit(new CtxRequest("b"));
			REQUEST_ID.set("req-C");
			bothEmitted.countDown();

			assertThat(a.eventResult()).isEqualTo("req-A");
			assertThat(b.eventResult()).isEqualTo("req-B");
			assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of("a", "req-A", "b", "req-B"));
			assertThat(REQUEST_ID.get()).isEqualTo("req-C");
		}
	}

	@RepeatedTest(20)
	void parallelHandlersAllSeeTheValue() {
		try (EventBus bus = EventBus.builder("CtxParallel")
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			for (int i = 0; i < 3; i++) {
				bus.on(CtxRequest.class, (event) -> REQUEST_ID.get());
			}
			REQUEST_ID.set("req-parallel");
			CtxRequest event = bus.emit(new CtxRequest("p"));
			REQUEST_ID.remove();
			assertThat(event.eventResultsList()).containsExactly("req-parallel", "req-parallel", "req-parallel");
		}
	}

	@RepeatedTest(20)
	void nestedChildrenInheritTheValueAlongWithTheirParentIds() {
		List<String> seen = new CopyOnWriteArrayList<>();
		try (EventBus bus = new EventBus("CtxNested")) {
			bus.on(CtxRequest.class, (event) -> {
				seen.add("parent:" + REQUEST_ID.get());
				CtxChild child = bus.emit(new CtxChild("child"));
				child.done();
				return child.eventParentId();
			});
			bus.on(CtxChild.class, (event) -> {
				seen.add(event.name + ":" + REQUEST_ID.get());
				if (event.name.equals("child")) {
					CtxChild grandchild = bus.emit(new CtxChild("grandchild"));
					grandchild.done();
					return grandchild.eventParentId();
				}
				return event.eventParentId();
			});
			REQUEST_ID.set("req-nested");
			CtxRequest parent = bus.emit(new CtxRequest("root"));
			REQUEST_ID.remove();

			assertThat(parent.eventResult()).isEqualTo(parent.eventId());
			CtxChild child = (CtxChild) parent.eventChildren().get(0);
			assertThat(child.eventResult()).isEqualTo(child.eventId());
			assertThat(seen).containsExactly("parent:req-nested", "child:req-nested", "grandchild:req-nested");
		}
	}

	@RepeatedTest(20)
	void aChildsChangeDoesNotLeakBackToTheAwaitingParentOrTheEmitter() {
		try (EventBus bus = new EventBus("CtxIsolation")) {
			bus.on(CtxRequest.class, (event) -> {
				bus.emit(new CtxChild("child")).done();
				return REQUEST_ID.get();
			});
			bus.on(CtxChild.class, (event) -> {
				REQUEST_ID.set("child-modified");
				return REQUEST_ID.get();
			});
			REQUEST_ID.set("parent-value");
			CtxRequest parent = bus.emit(new CtxRequest("root"));

			assertThat(parent.eventResult()).isEqualTo("parent-value");
			assertThat(((CtxChild) parent.eventChildren().get(0)).eventResult()).isEqualTo("child-modified");
			assertThat(REQUEST_ID.get()).isEqualTo("parent-value");
		}
	}

	@RepeatedTest(20)
	void aHandlersChangeDoesNotLeakIntoTheNextEventOnTheBus() throws Exception {
		CountDownLatch bothEmitted = new CountDownLatch(1);
		try (EventBus bus = new EventBus("CtxNoLeak")) {
			bus.on(CtxRequest.class, (event) -> {
				ConcurrencyProbe.awaitOpen(bothEmitted);
				String seen = String.valueOf(REQUEST_ID.get());
				REQUEST_ID.set("set-by-" + event.name);
				return seen;
			});
			CtxRequest first = bus.emit(new CtxRequest("first"));
			CtxRequest second = bus.emit(new CtxRequest("second"));
			bothEmitted.countDown();

			assertThat(first.eventResult()).isEqualTo("null");
			assertThat(second.eventResult()).isEqualTo("null");
		}
	}

	@RepeatedTest(20)
	void forwardedBusHandlersSeeTheEmitTimeValue() {
		try (EventBus a = new EventBus("CtxForwardA"); EventBus b = new EventBus("CtxForwardB")) {
			a.on("*", b::emit);
			b.on(CtxRequest.class, (event) -> REQUEST_ID.get());
			REQUEST_ID.set("req-forwarded");
			CtxRequest event = a.emit(new CtxRequest("f"));
			REQUEST_ID.set("changed-after-emit");
			assertThat(event.eventResult()).isEqualTo("req-forwarded");
		}
	}

}
