package io.bubus;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.internal.Timestamps;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code find()}: past and future windows, filters, lineage, waiter cleanup: spec/core
 * §18, scenario 39.
 */
class FindTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class FdLogin extends BaseEvent<String> {

		public String action = "";

		public String user = "";

		public FdLogin() {
		}

		FdLogin(String action, String user) {
			this.action = action;
			this.user = user;
		}

	}

	public static class FdOther extends BaseEvent<String> {

	}

	@Test
	void defaultFindLooksOnlyAtHistoryAndReturnsAtOnce() {
		try (EventBus bus = new EventBus("FdDefault")) {
			long start = System.nanoTime();
			assertThat(bus.find(FdLogin.class).get()).isEmpty();
			assertThat(bus.find(FdLogin.class).past(false).future(Duration.ofMillis(10)).get()).isEmpty();
			assertThat(bus.find(FdLogin.class).past(false).future(false).get()).isEmpty();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
			assertThat(bus.waiterCount()).isZero();
		}
	}

	@RepeatedTest(20)
	void futureFindResolvesAtEmitBeforeTheHandlersFinish() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (EventBus bus = new EventBus("FdFuture")) {
			bus.on(FdLogin.class, (event) -> {
				ConcurrencyProbe.awaitOpen(release);
				return "done";
			});
			CompletableFuture<Optional<FdLogin>> found = bus.find(FdLogin.class).past(false).future(WAIT).async();
			FdLogin emitted = bus.emit(new FdLogin("login", "ada"));

			Optional<FdLogin> result = found.get(10, TimeUnit.SECONDS);
			assertThat(result).containsSame(emitted);
			assertThat(result.get().eventStatus()).isIn(EventStatus.PENDING, EventStatus.STARTED);
			release.countDown();
			emitted.done(WAIT);
			assertThat(bus.waiterCount()).isZero();
		}
	}

	@RepeatedTest(20)
	void futureFindIgnoresEventsEmittedBeforeTheCallEvenWhileInFlight() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (EventBus bus = new EventBus("FdIgnoresEarlier")) {
			bus.on(FdLogin.class, (event) -> {
				ConcurrencyProbe.awaitOpen(release);
				return null;
			});
			bus.emit(new FdLogin("login", "early"));
			CompletableFuture<Optional<FdLogin>> found = bus.find(FdLogin.class).past(false).future(WAIT).async();
			assertThat(found).isNotDone();
			FdLogin later = bus.emit(new FdLogin("login", "later"));
			assertThat(found.get(10, TimeUnit.SECONDS)).containsSame(later);
			release.countDown();
		}
	}

	@Test
	void pastFindReturnsTheMostRecentMatchWithinTheWindow() {
		try (EventBus bus = new EventBus("FdPast")) {
			bus.on(FdLogin.class, (event) -> null);
			FdLogin old = new FdLogin("login", "old");
			old.setIdentity(old.eventId(), Timestamps.now() - Duration.ofSeconds(30).toNanos());
			bus.emit(old).done(WAIT);
			FdLogin first = bus.emit(new FdLogin("login", "first"));
			FdLogin second = bus.emit(new FdLogin("login", "second"));
			second.done(WAIT);
			first.done(WAIT);

			assertThat(bus.find(FdLogin.class).past(Duration.ofSeconds(10)).get()).containsSame(second);
			assertThat(bus.find(FdLogin.class).past(Duration.ofSeconds(10)).where((e) -> e.user.equals("old")).get())
				.isEmpty();
			assertThat(bus.find(FdLogin.class).where((e) -> e.user.equals("old")).get()).containsSame(old);
		}
	}

	@Test
	void fieldFiltersMatchMetadataAndPayload() {
		try (EventBus bus = new EventBus("FdFields")) {
			CountDownLatch release = new CountDownLatch(1);
			bus.on(FdLogin.class, (event) -> {
				if (event.user.equals("blocked")) {
					ConcurrencyProbe.awaitOpen(release);
				}
				return null;
			});
			FdLogin completed = bus.emit(new FdLogin("login", "ada"));
			completed.done(WAIT);
			FdLogin timed = new FdLogin("logout", "bob");
			timed.setEventTimeout(Duration.ofSeconds(11));
			bus.emit(timed).done(WAIT);
			FdLogin blocked = bus.emit(new FdLogin("login", "blocked"));
			await().atMost(WAIT).until(() -> blocked.eventStatus() == EventStatus.STARTED);

			assertThat(bus.find(FdLogin.class).whereField("event_status", "completed").get()).containsSame(timed);
			assertThat(bus.find(FdLogin.class).whereField("event_status", "started").get()).containsSame(blocked);
			assertThat(bus.find(FdLogin.class)
				.whereField("event_id", timed.eventId())
				.whereField("event_timeout", Duration.ofSeconds(11))
				.get()).containsSame(timed);
			assertThat(bus.find(FdLogin.class)
				.whereField("event_id", completed.eventId())
				.whereField("event_timeout", Duration.ofSeconds(11))
				.get()).isEmpty();
			assertThat(bus.find(FdLogin.class).whereField("action", "login").whereField("user", "ada").get())
				.containsSame(completed);
			assertThat(bus.find(FdLogin.class).whereField("no_such_field", "x").get()).isEmpty();
			release.countDown();
		}
	}

	@Test
	void wildcardWithWhereSeesEveryType() {
		try (EventBus bus = new EventBus("FdWildcard")) {
			FdLogin login = bus.emit(new FdLogin("login", "ada"));
			FdOther other = bus.emit(new FdOther());
			bus.waitUntilIdle(WAIT);
			assertThat(bus.find("*").get()).containsSame(other);
			assertThat(bus.find("*").where((event) -> event instanceof FdLogin).get()).containsSame(login);
			assertThat(bus.find("FdLogin").get()).containsSame(login);
		}
	}

	@RepeatedTest(10)
	void childOfFindsDescendantsAtAnyDepthAndAcrossBuses() {
		try (EventBus a = new EventBus("FdLineageA"); EventBus b = new EventBus("FdLineageB")) {
			a.on(FdLogin.class, (event) -> {
				if (event.user.equals("root")) {
					a.emit(new FdLogin("child", "child")).done();
				}
				else if (event.user.equals("child")) {
					b.emit(new FdOther()).done();
				}
				return null;
			});
			FdLogin root = a.emit(new FdLogin("root", "root"));
			FdLogin unrelated = a.emit(new FdLogin("other", "unrelated"));
			root.done(WAIT);
			unrelated.done(WAIT);

			FdLogin child = a.find(FdLogin.class).childOf(root).get().orElseThrow();
			assertThat(child.user).isEqualTo("child");
			Optional<FdOther> grandchild = b.find(FdOther.class).childOf(root).get();
			assertThat(grandchild).isPresent();
			assertThat(grandchild.get().eventParentId()).isEqualTo(child.eventId());
			assertThat(a.find(FdLogin.class).childOf(unrelated).get()).isEmpty();
			// history is per bus: the grandchild lives only on b
			assertThat(a.find(FdOther.class).get()).isEmpty();
		}
	}

	@RepeatedTest(10)
	void concurrentWaitersEachGetTheirEventAndAreRemovedAfterwards() throws Exception {
		try (EventBus bus = new EventBus("FdWaiters")) {
			CompletableFuture<Optional<FdLogin>> ada = bus.find(FdLogin.class)
				.past(false)
				.future(WAIT)
				.where((e) -> e.user.equals("ada"))
				.async();
			CompletableFuture<Optional<FdLogin>> bob = bus.find(FdLogin.class)
				.past(false)
				.future(WAIT)
				.where((e) -> e.user.equals("bob"))
				.async();
			CompletableFuture<Optional<FdLogin>> nobody = bus.find(FdLogin.class)
				.past(false)
				.future(Duration.ofMillis(50))
				.where((e) -> e.user.equals("nobody"))
				.async();
			assertThat(bus.waiterCount()).isEqualTo(3);
			FdLogin bobEvent = bus.emit(new FdLogin("login", "bob"));
			FdLogin adaEvent = bus.emit(new FdLogin("login", "ada"));

			assertThat(ada.get(10, TimeUnit.SECONDS)).containsSame(adaEvent);
			assertThat(bob.get(10, TimeUnit.SECONDS)).containsSame(bobEvent);
			assertThat(nobody.get(10, TimeUnit.SECONDS)).isEmpty();
			assertThat(bus.waiterCount()).isZero();
			assertThat(bus.handlers()).isEmpty();
		}
	}

	@Test
	void stopResolvesOutstandingWaitersEmpty() throws Exception {
		EventBus bus = new EventBus("FdStop");
		CompletableFuture<Optional<FdLogin>> forever = bus.find(FdLogin.class).past(false).future(true).async();
		bus.stop();
		assertThat(forever.get(10, TimeUnit.SECONDS)).isEmpty();
	}

	@Test
	void zeroHistoryStillResolvesFutureFindsButForgetsCompletedEvents() throws Exception {
		try (EventBus bus = EventBus.builder("FdZeroHistory").maxHistorySize(0).build()) {
			bus.on(FdLogin.class, (event) -> null);
			CompletableFuture<Optional<FdLogin>> found = bus.find(FdLogin.class).past(false).future(WAIT).async();
			FdLogin event = bus.emit(new FdLogin("login", "ada"));
			assertThat(found.get(10, TimeUnit.SECONDS)).containsSame(event);
			event.done(WAIT);
			assertThat(bus.find(FdLogin.class).get()).isEmpty();
		}
	}

}
