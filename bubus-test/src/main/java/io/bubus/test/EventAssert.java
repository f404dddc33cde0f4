package io.bubus.test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.EventResult;
import io.bubus.EventStatus;
import io.bubus.EventTimeoutException;
import io.bubus.ResultStatus;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on one event and its causal tree; start with
 * {@link BubusAssertions#assertThat(BaseEvent)}. Every failure message shows the event's
 * tree (its handlers' results on every bus and the events they emitted) under what was
 * expected.
 * <p>
 * Assertions on results, errors, children and timing first wait for the event to
 * complete, at most {@link #waitingAtMost(Duration) 10 seconds} by default, and fail with
 * the tree so far when it does not. {@link #hasStatus} looks at the event as it is.
 *
 * {@snippet :
 * assertThat(bus.emit(new CheckoutEvent("o-1"))).hasResultFrom("CheckoutService.onCheckout")
 * 	.hasFailedWith(IllegalStateException.class)
 * 	.hasDescendantPath(ChargeCardEvent.class, FraudCheckEvent.class)
 * 	.completedWithin(Duration.ofSeconds(2));
 * }
 */
public final class EventAssert extends AbstractAssert<EventAssert, BaseEvent<?>> {

	/** How long assertions wait for an event to complete unless told otherwise. */
	static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

	private Duration wait = DEFAULT_WAIT;

	EventAssert(BaseEvent<?> event) {
		super(event, EventAssert.class);
	}

	/**
	 * How long the assertions after this one wait for the event to complete.
	 * @param timeout the bound
	 * @return this
	 */
	public EventAssert waitingAtMost(Duration timeout) {
		this.wait = Objects.requireNonNull(timeout, "timeout");
		return this;
	}

	/**
	 * The event's status is {@code status} now (no waiting).
	 * @param status the expected status
	 * @return this
	 */
	public EventAssert hasStatus(EventStatus status) {
		isNotNull();
		if (this.actual.eventStatus() != status) {
			fail("status " + status, "it is " + this.actual.eventStatus());
		}
		return this;
	}

	/**
	 * The event completes (waiting for it).
	 * @return this
	 */
	public EventAssert isCompleted() {
		awaitCompletion("to complete");
		return this;
	}

	/**
	 * Some handler completed with this value ({@link Object#equals}).
	 * @param expected the value
	 * @return this
	 */
	public EventAssert hasResult(@Nullable Object expected) {
		awaitCompletion("to have the result " + EventTree.repr(expected));
		boolean found = rows().stream()
			.anyMatch((row) -> row.status() == ResultStatus.COMPLETED && Objects.equals(row.result(), expected));
		if (!found) {
			fail("a handler result " + EventTree.repr(expected), "the results are " + results());
		}
		return this;
	}

	/**
	 * The handler with this name (as {@code EventResult.handlerName()}, such as
	 * {@code CheckoutService.onCheckout}) or this handler id completed without an error.
	 * @param handler the handler name or id
	 * @return this
	 */
	public EventAssert hasResultFrom(String handler) {
		return resultFrom(handler, (row) -> handler.equals(row.handlerName()) || handler.equals(row.handlerId()), false,
				null);
	}

	/**
	 * The handler with this name or id completed with this value.
	 * @param handler the handler name or id
	 * @param expected the value
	 * @return this
	 */
	public EventAssert hasResultFrom(String handler, @Nullable Object expected) {
		return resultFrom(handler, (row) -> handler.equals(row.handlerName()) || handler.equals(row.handlerId()), true,
				expected);
	}

	/**
	 * This registered handler completed without an error.
	 * @param handler the handler {@code on} returned
	 * @return this
	 */
	public EventAssert hasResultFrom(EventHandler handler) {
		return resultFrom(handler.handlerName(), (row) -> row.handlerId().equals(handler.id()), false, null);
	}

	/**
	 * This registered handler completed with this value.
	 * @param handler the handler {@code on} returned
	 * @param expected the value
	 * @return this
	 */
	public EventAssert hasResultFrom(EventHandler handler, @Nullable Object expected) {
		return resultFrom(handler.handlerName(), (row) -> row.handlerId().equals(handler.id()), true, expected);
	}

	private EventAssert resultFrom(String name, Predicate<EventResult<?>> handler, boolean checkValue,
			@Nullable Object expected) {
		String wanted = "a result from " + name + (checkValue ? " equal to " + EventTree.repr(expected) : "");
		awaitCompletion("to have " + wanted);
		List<EventResult<?>> rows = rows().stream().filter(handler).toList();
		if (rows.isEmpty()) {
			fail(wanted, name + " did not run; the handlers that ran are " + handlerNames());
		}
		for (EventResult<?> row : rows) {
			if (row.status() == ResultStatus.COMPLETED && (!checkValue || Objects.equals(row.result(), expected))) {
				return this;
			}
		}
		fail(wanted, name + " " + describe(rows.get(0)));
		return this;
	}

	/**
	 * Some handler failed with an exception of this type (or a subtype).
	 * @param type the exception type
	 * @return this
	 */
	public EventAssert hasFailedWith(Class<? extends Throwable> type) {
		awaitCompletion("to fail with " + Failures.typeName(type));
		boolean found = rows().stream().anyMatch((row) -> type.isInstance(row.error()));
		if (!found) {
			fail("a handler to fail with " + Failures.typeName(type), "the errors are " + errors());
		}
		return this;
	}

	/**
	 * No handler failed.
	 * @return this
	 */
	public EventAssert hasNoErrors() {
		awaitCompletion("to have no errors");
		if (rows().stream().anyMatch((row) -> row.error() != null)) {
			fail("no handler errors", "the errors are " + errors());
		}
		return this;
	}

	/**
	 * The events of this type that the event's handlers emitted; fails when there is
	 * none.
	 * @param <C> the child type
	 * @param type the child type
	 * @return an assertion on those children, in emit order
	 */
	public <C extends BaseEvent<?>> EventsAssert<C> hasChild(Class<C> type) {
		awaitCompletion("to have a child " + Failures.typeName(type));
		return related(type, this.actual.eventChildren(), "child", "children");
	}

	/**
	 * The events of this type anywhere below the event (children, their children, ...);
	 * fails when there is none.
	 * @param <C> the descendant type
	 * @param type the descendant type
	 * @return an assertion on those descendants, depth first in emit order
	 */
	public <C extends BaseEvent<?>> EventsAssert<C> hasDescendant(Class<C> type) {
		awaitCompletion("to have a descendant " + Failures.typeName(type));
		return related(type, descendants(this.actual), "descendant", "descendants");
	}

	private <C extends BaseEvent<?>> EventsAssert<C> related(Class<C> type, List<BaseEvent<?>> events, String kind,
			String kinds) {
		List<C> matching = events.stream().filter(type::isInstance).map(type::cast).toList();
		String of = Failures.typeName(type) + " of " + EventTree.label(this.actual);
		if (matching.isEmpty()) {
			fail("a " + kind + " " + of, "its " + kinds + " are " + Failures.labels(events));
		}
		return new EventsAssert<>(matching, kinds + " " + of, treeTitle(), this::tree, this.wait);
	}

	/**
	 * The event's handlers emitted nothing.
	 * @return this
	 */
	public EventAssert hasNoChildren() {
		awaitCompletion("to have no children");
		List<BaseEvent<?>> children = this.actual.eventChildren();
		if (!children.isEmpty()) {
			fail("no children", "it has " + Failures.labels(children));
		}
		return this;
	}

	/**
	 * A chain of descendants of these types exists below the event: a child of the first
	 * type, which has a child of the second type, and so on.
	 * @param types the types, from the child down
	 * @return this
	 */
	@SafeVarargs
	public final EventAssert hasDescendantPath(Class<? extends BaseEvent<?>>... types) {
		String path = EventTree.label(this.actual) + " → "
				+ java.util.Arrays.stream(types).map(Failures::typeName).collect(Collectors.joining(" → "));
		awaitCompletion("to have the descendant path " + path);
		List<BaseEvent<?>> deepest = new ArrayList<>();
		if (!pathFrom(this.actual, types, 0, new ArrayList<>(), deepest)) {
			String but = deepest.isEmpty() ? "it has no child " + Failures.typeName(types[0])
					: "the path stops after "
							+ deepest.stream().map(EventTree::label).collect(Collectors.joining(" → "))
							+ ", which has no child " + Failures.typeName(types[deepest.size()]);
			fail("the descendant path " + path, but);
		}
		return this;
	}

	private static boolean pathFrom(BaseEvent<?> parent, Class<?>[] types, int depth, List<BaseEvent<?>> trail,
			List<BaseEvent<?>> deepest) {
		if (depth == types.length) {
			return true;
		}
		for (BaseEvent<?> child : parent.eventChildren()) {
			if (!types[depth].isInstance(child)) {
				continue;
			}
			trail.add(child);
			if (trail.size() > deepest.size()) {
				deepest.clear();
				deepest.addAll(trail);
			}
			if (pathFrom(child, types, depth + 1, trail, deepest)) {
				return true;
			}
			trail.remove(trail.size() - 1);
		}
		return false;
	}

	/**
	 * The event was emitted to this bus too (its {@code event_path} names the bus), as
	 * forwarding with {@code a.on("*", b::emit)} or a bridge does.
	 * @param bus the bus
	 * @return this
	 */
	public EventAssert wasForwardedTo(EventBus bus) {
		isNotNull();
		if (!this.actual.eventPath().contains(bus.label())) {
			fail("to be forwarded to " + bus.label(), "its event_path is " + this.actual.eventPath());
		}
		return this;
	}

	/**
	 * The event completed within this time of its creation (queue wait included); waits
	 * at most that long for it.
	 * @param limit the longest acceptable time from creation to completion
	 * @return this
	 */
	public EventAssert completedWithin(Duration limit) {
		isNotNull();
		Instant created = this.actual.eventCreatedAt();
		Duration left = Duration.between(Instant.now(), created.plus(limit));
		if (!await(left.isNegative() ? Duration.ZERO : left)) {
			fail("to complete within " + Failures.duration(limit) + " of its creation",
					"it is still " + this.actual.eventStatus());
		}
		Duration took = Duration.between(created, Objects.requireNonNull(this.actual.eventCompletedAt()));
		if (took.compareTo(limit) > 0) {
			fail("to complete within " + Failures.duration(limit) + " of its creation",
					"it took " + Failures.duration(took));
		}
		return this;
	}

	/**
	 * The event's tree, with ids and times normalised, equals the golden file; see
	 * {@link BubusAssertions} for how golden files are written and updated.
	 * @param golden the file, such as
	 * {@code Path.of("src/test/resources/trees/checkout.txt")}
	 * @return this
	 */
	public EventAssert treeMatchesGoldenFile(Path golden) {
		awaitCompletion("to complete before comparing its tree with " + golden);
		GoldenFile.compare(this.info, golden, tree());
		return this;
	}

	private void awaitCompletion(String purpose) {
		isNotNull();
		if (!await(this.wait)) {
			fail(purpose + " (waited " + Failures.duration(this.wait) + ")",
					"it is still " + this.actual.eventStatus());
		}
	}

	private boolean await(Duration timeout) {
		try {
			this.actual.done(timeout);
			return true;
		}
		catch (EventTimeoutException ex) {
			return false;
		}
		catch (IllegalStateException ex) {
			fail("an emitted event", "it was never emitted");
			return false;
		}
	}

	private List<EventResult<?>> rows() {
		return List.copyOf(this.actual.eventResults().values());
	}

	private String results() {
		List<EventResult<?>> rows = rows();
		return rows.isEmpty() ? "none (no handler ran)"
				: rows.stream().map((row) -> row.handlerName() + " " + describe(row)).collect(Collectors.joining(", "));
	}

	private String errors() {
		String errors = rows().stream()
			.filter((row) -> row.error() != null)
			.map((row) -> row.handlerName() + ": " + Objects.requireNonNull(row.error()))
			.collect(Collectors.joining(", "));
		return errors.isEmpty() ? "none" : errors;
	}

	private String handlerNames() {
		List<String> names = rows().stream().map(EventResult::handlerName).toList();
		return names.isEmpty() ? "none" : names.toString();
	}

	private static String describe(EventResult<?> row) {
		return switch (row.status()) {
			case COMPLETED -> "returned " + EventTree.repr(row.result());
			case ERROR -> "failed with " + row.error();
			case STARTED -> "is still running";
			case PENDING -> "has not started";
		};
	}

	private String treeTitle() {
		return "Tree of " + EventTree.label(this.actual);
	}

	private String tree() {
		return EventTree.render(this.actual);
	}

	private void fail(String expected, String but) {
		failWithMessage("%s",
				Failures.message(EventTree.label(this.actual) + " " + expected, but, treeTitle(), tree()));
	}

	static List<BaseEvent<?>> descendants(BaseEvent<?> root) {
		List<BaseEvent<?>> out = new ArrayList<>();
		collect(root, out);
		return out;
	}

	private static void collect(BaseEvent<?> parent, List<BaseEvent<?>> out) {
		for (BaseEvent<?> child : parent.eventChildren()) {
			if (!out.contains(child)) {
				out.add(child);
				collect(child, out);
			}
		}
	}

}
