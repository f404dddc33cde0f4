package io.bubus.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventTimeoutException;
import io.bubus.Find;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * Stimulates the application and waits for the chain of events that follows, without
 * sleeping: in the spirit of Spring Modulith's {@code Scenario}, but over the causal tree
 * bubus keeps.
 *
 * {@snippet :
 * SendReceiptEvent receipt = scenario.emit(new CheckoutEvent("o-1"))
 * 	.andWaitForEventOfType(SendReceiptEvent.class)
 * 	.matching((event) -> event.orderId.equals("o-1"))
 * 	.toComplete();
 *
 * scenario.stimulate(() -> checkoutService.checkOut("o-2"))   // a bean call
 * 	.andWaitUntilIdle();
 * }
 *
 * <h2>What "the tree of the stimulus" is</h2> When the stimulus is an event
 * ({@link #emit}, or a {@link #stimulate(Supplier)} that returns one), the tree is that
 * event and its descendants on every bus of the scenario, found by lineage
 * ({@code event_parent_id}), so an event of the same type from an unrelated request does
 * not count. When the stimulus returns anything else, the tree is every event the
 * scenario's buses accepted from the moment the stimulus began, from any thread.
 *
 * <h2>How it waits</h2> With the buses' own {@link EventBus#find(Class) find}: history
 * first, then a future window, so an event emitted before the wait began is found too.
 * Every wait is bounded by the scenario's timeout (10 seconds unless {@link #withTimeout
 * changed}, counted from the start of each wait); when it passes the test fails with what
 * did happen: the tree of the stimulus so far.
 */
public final class BubusScenario {

	/** The timeout of a scenario unless told otherwise. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	private final Supplier<List<EventBus>> buses;

	private final Duration timeout;

	BubusScenario(Supplier<List<EventBus>> buses, Duration timeout) {
		this.buses = buses;
		this.timeout = timeout;
	}

	/**
	 * A scenario over these buses; the first is the one {@link #emit} emits to.
	 * @param buses the buses to watch
	 * @return the scenario
	 */
	public static BubusScenario of(EventBus... buses) {
		if (buses.length == 0) {
			throw new IllegalArgumentException("A scenario needs at least one bus to watch");
		}
		List<EventBus> list = List.of(buses);
		return new BubusScenario(() -> list, DEFAULT_TIMEOUT);
	}

	/**
	 * A scenario over the buses the supplier returns each time it looks (for buses that
	 * are created later, such as those of an application context); the first is the one
	 * {@link #emit} emits to.
	 * @param buses supplies the buses to watch
	 * @return the scenario
	 */
	public static BubusScenario watching(Supplier<? extends List<EventBus>> buses) {
		return new BubusScenario(() -> List.copyOf(buses.get()), DEFAULT_TIMEOUT);
	}

	/**
	 * The same scenario with another timeout for each wait.
	 * @param timeout the bound of every wait
	 * @return a new scenario
	 */
	public BubusScenario withTimeout(Duration timeout) {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("A scenario timeout must be positive, got " + timeout);
		}
		return new BubusScenario(this.buses, timeout);
	}

	/** The buses the scenario watches, the one {@link #emit} uses first. */
	public List<EventBus> buses() {
		return List.copyOf(this.buses.get());
	}

	/**
	 * Emits the event to the scenario's first bus.
	 * @param event the event
	 * @return the stimulus, to wait on
	 */
	public Stimulus emit(BaseEvent<?> event) {
		List<EventBus> all = buses();
		if (all.isEmpty()) {
			throw new IllegalStateException("This scenario has no bus to emit " + EventTree.label(event) + " to");
		}
		return new Stimulus(all.get(0).emit(event), event, Set.of());
	}

	/**
	 * Runs the action (calling a bean, say); the events the buses accept from now on are
	 * its tree.
	 * @param action the stimulus
	 * @return the stimulus, to wait on
	 */
	public Stimulus stimulate(Runnable action) {
		return stimulate(() -> {
			action.run();
			return null;
		});
	}

	/**
	 * Runs the action; when it returns an event, that event's descendants are its tree,
	 * otherwise the events the buses accept from now on.
	 * @param action the stimulus
	 * @return the stimulus, to wait on, with what the action returned
	 */
	public Stimulus stimulate(Supplier<?> action) {
		Set<BaseEvent<?>> before = Collections.newSetFromMap(new IdentityHashMap<>());
		for (EventBus bus : buses()) {
			before.addAll(bus.eventHistory());
		}
		Object result = action.get();
		BaseEvent<?> root = (result instanceof BaseEvent<?> event) ? event : null;
		return new Stimulus(result, root, (root != null) ? Set.of() : before);
	}

	/**
	 * What was stimulated; wait for what follows with its {@code andWait...} methods.
	 */
	public final class Stimulus {

		private final @Nullable Object result;

		private final @Nullable BaseEvent<?> root;

		private final Set<BaseEvent<?>> before;

		Stimulus(@Nullable Object result, @Nullable BaseEvent<?> root, Set<BaseEvent<?>> before) {
			this.result = result;
			this.root = root;
			this.before = before;
		}

		/**
		 * What the stimulus returned (the emitted event for {@link BubusScenario#emit}).
		 * @return the value, or {@code null}
		 */
		public @Nullable Object result() {
			return this.result;
		}

		/**
		 * Waits for an event of this type (or a subtype) in the tree of the stimulus.
		 * @param <E> the type
		 * @param type the type
		 * @return the wait, to narrow and finish
		 */
		public <E extends BaseEvent<?>> EventWait<E> andWaitForEventOfType(Class<E> type) {
			return new EventWait<>(this, type, (event) -> true, "");
		}

		/**
		 * Waits until every bus of the scenario is idle (nothing queued or running).
		 * @return this
		 */
		public Stimulus andWaitUntilIdle() {
			long deadline = System.nanoTime() + BubusScenario.this.timeout.toNanos();
			for (EventBus bus : buses()) {
				Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
				if (!bus.waitUntilIdle(left)) {
					throw failure("every bus to be idle within " + Failures.duration(BubusScenario.this.timeout),
							bus.label() + " is still busy: " + bus);
				}
			}
			return this;
		}

		/**
		 * Waits until the event of the stimulus completes.
		 * @return this
		 * @throws IllegalStateException when the stimulus was not an event
		 */
		public Stimulus andWaitForCompletion() {
			BaseEvent<?> event = this.root;
			if (event == null) {
				throw new IllegalStateException("The stimulus returned no event to wait for; use andWaitUntilIdle()");
			}
			try {
				event.done(BubusScenario.this.timeout);
			}
			catch (EventTimeoutException ex) {
				throw failure(
						EventTree.label(event) + " to complete within " + Failures.duration(BubusScenario.this.timeout),
						"it is still " + event.eventStatus());
			}
			return this;
		}

		/**
		 * The tree of the stimulus as it is now.
		 * @return the text tree
		 */
		public String tree() {
			BaseEvent<?> event = this.root;
			return (event != null) ? EventTree.render(event) : EventTree.renderRoots(eventsSince());
		}

		private List<BaseEvent<?>> eventsSince() {
			Set<BaseEvent<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
			List<BaseEvent<?>> events = new ArrayList<>();
			for (EventBus bus : buses()) {
				for (BaseEvent<?> event : bus.eventHistory()) {
					if (!this.before.contains(event) && seen.add(event)) {
						events.add(event);
					}
				}
			}
			events.sort((a, b) -> a.eventCreatedAt().compareTo(b.eventCreatedAt()));
			return events;
		}

		private String treeTitle() {
			BaseEvent<?> event = this.root;
			return (event != null) ? "What happened (tree of " + EventTree.label(event) + ")"
					: "What happened (events accepted since the stimulus)";
		}

		private String scope() {
			BaseEvent<?> event = this.root;
			return (event != null) ? "in the tree of " + EventTree.label(event) : "after the stimulus";
		}

		AssertionFailedError failure(String expected, String but) {
			return new AssertionFailedError(Failures.message(expected, but, treeTitle(), tree()));
		}

		<E extends BaseEvent<?>> Find<E> find(EventBus bus, Class<E> type, Predicate<? super E> predicate) {
			Find<E> find = bus.find(type).where(predicate);
			BaseEvent<?> event = this.root;
			if (event != null) {
				return find.childOf(event);
			}
			Set<BaseEvent<?>> old = this.before;
			return find.where((candidate) -> !old.contains(candidate));
		}

		@Nullable BaseEvent<?> root() {
			return this.root;
		}

	}

	/**
	 * A wait for an event of one type in the tree of a stimulus; narrow it with
	 * {@link #matching} and finish it with {@link #toArrive()} or {@link #toComplete()}.
	 *
	 * @param <E> the event type
	 */
	public final class EventWait<E extends BaseEvent<?>> {

		private final Stimulus stimulus;

		private final Class<E> type;

		private final Predicate<? super E> predicate;

		private final String description;

		EventWait(Stimulus stimulus, Class<E> type, Predicate<? super E> predicate, String description) {
			this.stimulus = stimulus;
			this.type = type;
			this.predicate = predicate;
			this.description = description;
		}

		/**
		 * Only an event the predicate accepts.
		 * @param predicate the condition
		 * @return a narrower wait
		 */
		public EventWait<E> matching(Predicate<? super E> predicate) {
			return matching("the predicate", predicate);
		}

		/**
		 * Only an event the predicate accepts.
		 * @param description what the predicate checks, for the failure message
		 * @param predicate the condition
		 * @return a narrower wait
		 */
		public EventWait<E> matching(String description, Predicate<? super E> predicate) {
			Predicate<? super E> previous = this.predicate;
			Predicate<E> both = (event) -> previous.test(event) && predicate.test(event);
			String text = this.description.isEmpty() ? description : this.description + " and " + description;
			return new EventWait<>(this.stimulus, this.type, both, text);
		}

		/**
		 * Waits until such an event is emitted (its handlers may still be running).
		 * @return the event
		 */
		public E toArrive() {
			long deadline = System.nanoTime() + BubusScenario.this.timeout.toNanos();
			return arrive(deadline);
		}

		/**
		 * Waits until such an event is emitted, then runs the checks on it.
		 * @param verification assertions on the event
		 * @return the event
		 */
		public E toArriveAndVerify(Consumer<? super E> verification) {
			E event = toArrive();
			verification.accept(event);
			return event;
		}

		/**
		 * Waits until such an event is emitted and completed on every bus it went to.
		 * @return the event, completed
		 */
		public E toComplete() {
			long deadline = System.nanoTime() + BubusScenario.this.timeout.toNanos();
			E event = arrive(deadline);
			try {
				event.done(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
			}
			catch (EventTimeoutException ex) {
				throw this.stimulus.failure(
						EventTree.label(event) + " to complete within " + Failures.duration(BubusScenario.this.timeout),
						"it is still " + event.eventStatus());
			}
			return event;
		}

		private E arrive(long deadline) {
			BaseEvent<?> root = this.stimulus.root();
			if (root != null && this.type.isInstance(root) && this.predicate.test(this.type.cast(root))) {
				return this.type.cast(root);
			}
			CompletableFuture<E> found = new CompletableFuture<>();
			Duration window = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			for (EventBus bus : buses()) {
				CompletableFuture<Optional<E>> search = this.stimulus.find(bus, this.type, this.predicate)
					.future(window)
					.async();
				search.thenAccept((match) -> match.ifPresent(found::complete));
			}
			try {
				return found.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				throw this.stimulus.failure(expected(), "none arrived");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw this.stimulus.failure(expected(), "the test thread was interrupted while waiting");
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Waiting for " + expected() + " failed", ex.getCause());
			}
		}

		private String expected() {
			String matching = this.description.isEmpty() ? "" : " matching " + this.description;
			return "an event of type " + Failures.typeName(this.type) + matching + " " + this.stimulus.scope()
					+ " within " + Failures.duration(BubusScenario.this.timeout);
		}

		@Override
		public String toString() {
			return Objects.toString(expected());
		}

	}

}
