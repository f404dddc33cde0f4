package io.bubus;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.internal.Ids;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text tree of a bus's history ({@code logTree()}): roots, connectors, result lines
 * with status icons, values and errors, children under the handler that emitted them.
 */
class LogTreeTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class TreeRoot extends BaseEvent<String> {

	}

	public static class TreeChild extends BaseEvent<String> {

	}

	@Test
	void childIsPrintedUnderTheHandlerThatEmittedIt() {
		try (EventBus bus = new EventBus("TreeChildBus")) {
			bus.on(TreeRoot.class, (event) -> {
				bus.emit(new TreeChild()).done();
				return "status: success";
			}, HandlerOptions.defaults().name("test_handler"));
			EventHandler childHandler = bus.on(TreeChild.class, (event) -> "child ok",
					HandlerOptions.defaults().name("child_handler"));
			TreeRoot root = bus.emit(new TreeRoot());
			root.done(WAIT);
			BaseEvent<?> child = root.eventChildren().get(0);

			String[] lines = bus.logTree().split("\n");

			assertThat(lines).hasSize(4);
			assertThat(lines[0]).startsWith("└── TreeRoot#" + Ids.id4(root.eventId()) + " [").endsWith("s)]");
			assertThat(lines[1]).startsWith("    └── ✅ " + bus.label() + ".test_handler#")
				.endsWith("→ \"status: success\"");
			assertThat(lines[2]).startsWith("        └── TreeChild#" + Ids.id4(child.eventId()) + " [");
			assertThat(lines[3])
				.startsWith("            └── ✅ " + bus.label() + ".child_handler#" + Ids.id4(childHandler.id()) + " [")
				.endsWith("→ \"child ok\"");
		}
	}

	@Test
	void twoRootsGetOneMiddleAndOneLastConnector() {
		try (EventBus bus = new EventBus("TreeRootsBus")) {
			bus.on(TreeRoot.class, (event) -> "ok");
			bus.emit(new TreeRoot()).done(WAIT);
			bus.emit(new TreeRoot()).done(WAIT);

			String[] lines = bus.logTree().split("\n");

			assertThat(Arrays.stream(lines).filter((line) -> line.startsWith("├── TreeRoot#"))).hasSize(1);
			assertThat(Arrays.stream(lines).filter((line) -> line.startsWith("└── TreeRoot#"))).hasSize(1);
			assertThat(Arrays.stream(lines).filter((line) -> line.startsWith("│   └── ✅ "))).hasSize(1);
		}
	}

	@Test
	void runningHandlerIsShownAsStartedWithoutADuration() throws Exception {
		try (EventBus bus = new EventBus("TreeRunningBus")) {
			CountDownLatch entered = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			bus.on(TreeRoot.class, (event) -> {
				entered.countDown();
				release.await();
				return "ok";
			}, HandlerOptions.defaults().name("blocked"));
			TreeRoot root = bus.emit(new TreeRoot());
			assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

			String tree = bus.logTree();

			release.countDown();
			root.done(WAIT);
			assertThat(tree).contains("└── TreeRoot#" + Ids.id4(root.eventId()) + " [")
				.contains("🏃 " + bus.label() + ".blocked#")
				.doesNotContain("→");
			assertThat(tree.split("\n")[0]).doesNotContain("s)");
		}
	}

	@Test
	void forwardedEventShowsEveryBusRowInOneTree() {
		try (EventBus a = new EventBus("TreeForwardA"); EventBus b = new EventBus("TreeForwardB")) {
			a.on(TreeRoot.class, (event) -> "one", HandlerOptions.defaults().name("h1"));
			a.on("*", b::emit);
			b.on(TreeRoot.class, (event) -> "two", HandlerOptions.defaults().name("h2"));
			TreeRoot event = a.emit(new TreeRoot());
			event.done(WAIT);

			String tree = a.logTree();

			assertThat(tree).contains("├── ✅ " + a.label() + ".h1#")
				.contains("├── ✅ " + a.label() + ".EventBus.emit#")
				.contains("→ Event(TreeRoot#" + Ids.id4(event.eventId()) + ")")
				.contains("└── ✅ " + b.label() + ".h2#")
				.contains("→ \"two\"");
		}
	}

}
