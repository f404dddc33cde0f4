package io.bubus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Core scenarios 33-35: events emitted inside a handler record their parent and the
 * emitting handler, parents wait for their children, and the child/parent relation.
 */
class LineageTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class RootEvent extends BaseEvent<String> {

	}

	public static class ChildEvent extends BaseEvent<String> {

		public String tag;

		public ChildEvent() {
		}

		public ChildEvent(String tag) {
			this.tag = tag;
		}

	}

	public static class GrandchildEvent extends BaseEvent<String> {

	}

	@Test
	void childEmittedInASyncHandlerLinksToParentAndHandler() {
		try (EventBus bus = new EventBus("LineageSyncBus")) {
			List<ChildEvent> children = new ArrayList<>();
			EventHandler parentHandler = bus.on(RootEvent.class, (event) -> {
				children.add(bus.emit(new ChildEvent("a")));
				children.add(bus.emit(new ChildEvent("b")));
				return "parent";
			});
			bus.on(ChildEvent.class, (event) -> "child " + event.tag);
			RootEvent root = bus.emit(new RootEvent());
			root.done(WAIT);

			assertThat(children).hasSize(2).allSatisfy((child) -> {
				assertThat(child.eventParentId()).isEqualTo(root.eventId());
				assertThat(child.eventEmittedByHandlerId()).isEqualTo(parentHandler.id());
				assertThat(child.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			});
			assertThat(root.eventResults()).containsKey(parentHandler.id());
			assertThat(root.eventChildren()).containsExactly(children.get(0), children.get(1));
			assertThat(root.eventResults().get(parentHandler.id()).eventChildren()).containsExactlyElementsOf(children);
			assertThat(root.eventParentId()).isNull();
			assertThat(children.get(0).eventChildren()).isEmpty();
		}
	}

	@Test
	void childEmittedBeforeAnAsyncHandlerReturnsItsStageIsLinked() {
		try (EventBus bus = new EventBus("LineageAsyncBus")) {
			List<ChildEvent> children = new ArrayList<>();
			EventHandler handler = bus.on(RootEvent.class, (event) -> {
				children.add(bus.emit(new ChildEvent("async")));
				return CompletableFuture.supplyAsync(() -> "later");
			});
			RootEvent root = bus.emit(new RootEvent());

			assertThat(root.eventResult()).isEqualTo("later");
			assertThat(children.get(0).eventParentId()).isEqualTo(root.eventId());
			assertThat(children.get(0).eventEmittedByHandlerId()).isEqualTo(handler.id());
		}
	}

	@Test
	void childEmittedByAFailingHandlerIsStillLinked() {
		try (EventBus bus = new EventBus("LineageFailingBus")) {
			List<ChildEvent> children = new ArrayList<>();
			EventHandler handler = bus.on(RootEvent.class, (event) -> {
				children.add(bus.emit(new ChildEvent("before failure")));
				throw new IllegalStateException("handler failed after emitting");
			});
			bus.on(ChildEvent.class, (event) -> "child ran");
			RootEvent root = bus.emit(new RootEvent());
			root.done(WAIT);

			ChildEvent child = children.get(0);
			assertThat(child.eventParentId()).isEqualTo(root.eventId());
			assertThat(child.eventEmittedByHandlerId()).isEqualTo(handler.id());
			assertThat(child.eventResult()).isEqualTo("child ran");
			assertThat(root.eventChildren()).containsExactly(child);
			assertThat(root.eventResults().get(handler.id()).status()).isEqualTo(ResultStatus.ERROR);
		}
	}

	@Test
	void parallelSiblingHandlersEachLinkTheirOwnChildren() {
		try (EventBus bus = EventBus.builder("LineageParallelBus")
			.eventHandlerConcurrency(HandlerConcurrency.PARALLEL)
			.build()) {
			CyclicBarrier together = new CyclicBarrier(2);
			Map<String, ChildEvent> byHandler = Collections.synchronizedMap(new java.util.HashMap<>());
			EventHandler left = bus.on(RootEvent.class, (event) -> {
				together.await(10, TimeUnit.SECONDS);
				byHandler.put("left", bus.emit(new ChildEvent("left")));
				return "left";
			});
			EventHandler right = bus.on(RootEvent.class, (event) -> {
				together.await(10, TimeUnit.SECONDS);
				byHandler.put("right", bus.emit(new ChildEvent("right")));
				return "right";
			});
			RootEvent root = bus.emit(new RootEvent());
			root.done(WAIT);

			assertThat(byHandler.get("left").eventEmittedByHandlerId()).isEqualTo(left.id());
			assertThat(byHandler.get("right").eventEmittedByHandlerId()).isEqualTo(right.id());
			assertThat(byHandler.values())
				.allSatisfy((child) -> assertThat(child.eventParentId()).isEqualTo(root.eventId()));
			assertThat(root.eventResults().get(left.id()).eventChildren()).containsExactly(byHandler.get("left"));
			assertThat(root.eventResults().get(right.id()).eventChildren()).containsExactly(byHandler.get("right"));
		}
	}

	@Test
	void childEmittedToAnotherBusKeepsItsParent() {
		try (EventBus main = new EventBus("LineageMainBus"); EventBus other = new EventBus("LineageOtherBus")) {
			List<ChildEvent> children = new ArrayList<>();
			EventHandler handler = main.on(RootEvent.class, (event) -> {
				children.add(other.emit(new ChildEvent("elsewhere")));
				return "parent";
			});
			other.on(ChildEvent.class, (event) -> "other ran");
			RootEvent root = main.emit(new RootEvent());
			root.done(WAIT);

			ChildEvent child = children.get(0);
			assertThat(child.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(child.eventParentId()).isEqualTo(root.eventId());
			assertThat(child.eventEmittedByHandlerId()).isEqualTo(handler.id());
			assertThat(child.eventPath()).containsExactly(other.label());
			assertThat(root.eventChildren()).containsExactly(child);
			assertThat(other.eventIsChildOf(child, root)).isTrue();
			assertThat(main.find(ChildEvent.class).childOf(root).get()).isEmpty();
			assertThat(other.find(ChildEvent.class).childOf(root).get()).containsSame(child);
		}
	}

	@Test
	void explicitParentIdIsNeverOverwritten() {
		try (EventBus bus = new EventBus("LineageExplicitBus")) {
			String explicit = "01a20736-4907-7670-aaec-583f2937e5d0";
			List<ChildEvent> children = new ArrayList<>();
			bus.on(RootEvent.class, (event) -> {
				ChildEvent child = new ChildEvent("explicit");
				child.setEventParentId(explicit);
				children.add(bus.emit(child));
				return null;
			});
			RootEvent root = bus.emit(new RootEvent());

			assertThat(root.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(children.get(0).eventParentId()).isEqualTo(explicit);
			assertThat(bus.eventIsChildOf(children.get(0), root)).isFalse();
			assertThat(root.eventChildren()).isEmpty();
		}
	}

	@Test
	void threeLevelChainLinksEachLevel() {
		try (EventBus bus = new EventBus("LineageChainBus")) {
			List<BaseEvent<?>> emitted = Collections.synchronizedList(new ArrayList<>());
			bus.on(RootEvent.class, (event) -> {
				emitted.add(bus.emit(new ChildEvent("level 1")));
				return null;
			});
			bus.on(ChildEvent.class, (event) -> {
				emitted.add(bus.emit(new GrandchildEvent()));
				return null;
			});
			RootEvent root = bus.emit(new RootEvent());
			root.done(WAIT);

			BaseEvent<?> child = emitted.get(0);
			BaseEvent<?> grandchild = emitted.get(1);
			assertThat(root.eventParentId()).isNull();
			assertThat(child.eventParentId()).isEqualTo(root.eventId());
			assertThat(grandchild.eventParentId()).isEqualTo(child.eventId());
			assertThat(grandchild.eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(root.eventChildren()).containsExactly(child);
			assertThat(child.eventChildren()).containsExactly(grandchild);

			assertThat(bus.eventIsChildOf(child, root)).isTrue();
			assertThat(bus.eventIsChildOf(grandchild, root)).isTrue();
			assertThat(bus.eventIsChildOf(grandchild, child)).isTrue();
			assertThat(bus.eventIsParentOf(root, grandchild)).isTrue();
			assertThat(bus.eventIsParentOf(child, grandchild)).isTrue();
			assertThat(bus.eventIsChildOf(root, child)).isFalse();
			assertThat(bus.eventIsParentOf(grandchild, root)).isFalse();
			assertThat(bus.eventIsChildOf(root, root)).isFalse();
			assertThat(bus.eventIsParentOf(child, child)).isFalse();
			RootEvent unrelated = bus.emit(new RootEvent());
			unrelated.done(WAIT);
			assertThat(bus.eventIsChildOf(grandchild, unrelated)).isFalse();
			assertThat(bus.eventIsParentOf(unrelated, child)).isFalse();
		}
	}

	@Test
	void parentStaysStartedUntilItsUnawaitedChildCompletes() throws Exception {
		try (EventBus bus = new EventBus("LineageWaitBus")) {
			CountDownLatch childEntered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			List<ChildEvent> children = new ArrayList<>();
			bus.on(RootEvent.class, (event) -> {
				children.add(bus.emit(new ChildEvent("slow")));
				return "parent done";
			});
			bus.on(ChildEvent.class, (event) -> {
				childEntered.countDown();
				release.await();
				return "child done";
			});
			RootEvent root = bus.emit(new RootEvent());
			assertThat(childEntered.await(10, TimeUnit.SECONDS)).isTrue();

			assertThat(root.eventResults().values())
				.allSatisfy((row) -> assertThat(row.status()).isEqualTo(ResultStatus.COMPLETED));
			assertThat(root.eventStatus()).isEqualTo(EventStatus.STARTED);
			assertThat(root.eventCompletedAt()).isNull();
			assertThat(root.completion()).isNotDone();

			release.countDown();
			assertThat(root.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(children.get(0).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(children.get(0).eventCompletedAt()).isBeforeOrEqualTo(root.eventCompletedAt());
			assertThat(root.eventResult()).isEqualTo("parent done");
		}
	}

	@Test
	void rootWaitsForAnUnawaitedGrandchildOnAnotherBus() throws Exception {
		try (EventBus main = new EventBus("LineageDeepMain"); EventBus other = new EventBus("LineageDeepOther")) {
			CountDownLatch grandchildEntered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			List<BaseEvent<?>> emitted = Collections.synchronizedList(new ArrayList<>());
			main.on(RootEvent.class, (event) -> emitted.add(main.emit(new ChildEvent("child"))) ? "root" : null);
			main.on(ChildEvent.class, (event) -> emitted.add(other.emit(new GrandchildEvent())) ? "child" : null);
			other.on(GrandchildEvent.class, (event) -> {
				grandchildEntered.countDown();
				release.await();
				return "grandchild";
			});
			RootEvent root = main.emit(new RootEvent());
			assertThat(grandchildEntered.await(10, TimeUnit.SECONDS)).isTrue();

			// the child's handler returns right after emitting, maybe after the
			// grandchild started
			await().atMost(WAIT)
				.until(() -> emitted.get(0)
					.eventResults()
					.values()
					.stream()
					.allMatch((row) -> row.status() == ResultStatus.COMPLETED));
			assertThat(emitted.get(0).eventStatus()).isEqualTo(EventStatus.STARTED);
			assertThat(root.eventStatus()).isEqualTo(EventStatus.STARTED);
			assertThat(root.completion()).isNotDone();

			release.countDown();
			assertThat(root.done(WAIT).eventStatus()).isEqualTo(EventStatus.COMPLETED);
			assertThat(emitted).allSatisfy((event) -> assertThat(event.eventStatus()).isEqualTo(EventStatus.COMPLETED));
			assertThat(emitted.get(1).eventCompletedAt()).isBeforeOrEqualTo(emitted.get(0).eventCompletedAt());
			assertThat(emitted.get(0).eventCompletedAt()).isBeforeOrEqualTo(root.eventCompletedAt());
		}
	}

	@Test
	void eventWithoutChildrenHasAnEmptyChildList() {
		try (EventBus bus = new EventBus("LineageNoChildrenBus")) {
			bus.on(RootEvent.class, (event) -> "alone");
			RootEvent root = bus.emit(new RootEvent());
			root.done(WAIT);
			assertThat(root.eventChildren()).isEmpty();
		}
	}

}
