package io.bubus.spring.autoconfigure.publication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.bubus.BaseEvent;
import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import io.bubus.json.BubusJson;
import io.bubus.spring.autoconfigure.BubusJacksonAutoConfiguration;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The publication log against a real database: events emitted in a transaction are
 * written with it and dispatched after commit, rolled-back ones never, failed handlers
 * are resubmitted alone. Runs on H2 here and on PostgreSQL in
 * {@link PostgresPublicationLogTests}.
 */
class PublicationLogContractTests extends PublicationDatabaseTests {

	@Test
	void instancesStartingTogetherCreateTheTablesWithoutFailing() throws Exception {
		int instances = 8;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(instances);
		try {
			List<Future<?>> created = new ArrayList<>();
			for (int i = 0; i < instances; i++) {
				PublicationStore store = store();
				created.add(executor.submit(() -> {
					start.await();
					store.initializeSchema();
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : created) {
				future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(store().countIncomplete()).isZero();
	}

	@Test
	void failedHandlerWaitsLongerAfterEachAttemptUpToTheMaximumBackoff() {
		runner("bubus.publications.backoff=1h", "bubus.publications.max-backoff=90m").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(OrderPlaced.class, (event) -> {
				throw new IllegalStateException("still down");
			}, HandlerOptions.defaults().name("Billing.charge"));
			EventPublications publications = context.getBean(EventPublications.class);
			OrderPlaced event = inTransaction(context, () -> bus.emit(new OrderPlaced("o-7")));

			EventPublication first = awaitUnclaimed(publications, event.eventId(), 1);
			assertThat(Duration.between(first.handlers().get(0).lastAttemptAt(), first.nextAttemptAt()))
				.isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
			assertThat(publications.resubmit(event.eventId())).isTrue();
			EventPublication second = awaitUnclaimed(publications, event.eventId(), 2);
			// 2 h after the second failure, capped at 90 minutes
			assertThat(Duration.between(second.handlers().get(0).lastAttemptAt(), second.nextAttemptAt()))
				.isBetween(Duration.ofMinutes(89), Duration.ofMinutes(91));
		});
	}

	@Test
	void scheduleStopsAfterMaxAttemptsAndAResubmitByHandStillRuns() {
		runner("bubus.publications.check-interval=50ms", "bubus.publications.backoff=10ms",
				"bubus.publications.max-attempts=3")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				AtomicInteger runs = new AtomicInteger();
				bus.on(OrderPlaced.class, (event) -> {
					throw new IllegalStateException("down for good (" + runs.incrementAndGet() + ")");
				}, HandlerOptions.defaults().name("Billing.charge"));
				EventPublications publications = context.getBean(EventPublications.class);
				OrderPlaced event = inTransaction(context, () -> bus.emit(new OrderPlaced("o-8")));

				EventPublication exhausted = awaitUnclaimed(publications, event.eventId(), 3);
				assertThat(exhausted.nextAttemptAt()).as("no further scheduled attempt").isNull();
				assertThat(exhausted.isCompleted()).isFalse();
				assertThat(exhausted.handlers().get(0).errorMessage()).isEqualTo("down for good (3)");
				assertThat(publications.findFailed()).extracting(EventPublication::eventId)
					.containsExactly(event.eventId());

				assertThat(publications.resubmit(event.eventId())).isTrue();
				assertThat(awaitUnclaimed(publications, event.eventId(), 4).nextAttemptAt()).isNull();
				assertThat(runs).hasValue(4);
			});
	}

	@Test
	void completedPublicationsAreDeletedArchivedOrKeptOnceTheRetentionPassed() {
		for (String mode : List.of("delete", "archive", "keep")) {
			runner("bubus.publications.retention=0s", "bubus.publications.completion-mode=" + mode).run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				EventBus bus = context.getBean(EventBus.class);
				bus.on(OrderPlaced.class, (event) -> "done " + event.orderId,
						HandlerOptions.defaults().name("Billing.charge"));
				EventPublications publications = context.getBean(EventPublications.class);
				OrderPlaced event = inTransaction(context, () -> bus.emit(new OrderPlaced(mode)));
				event.done(WAIT);

				String archived = "SELECT COUNT(*) FROM bubus_publication_archive WHERE event_id = ?";
				String archivedRows = "SELECT COUNT(*) FROM bubus_publication_handler_archive WHERE event_id = ?";
				await().atMost(WAIT).untilAsserted(() -> {
					switch (mode) {
						case "keep" -> assertThat(publications.find(event.eventId()))
							.hasValueSatisfying((p) -> assertThat(p.isCompleted()).isTrue());
						case "archive" -> {
							assertThat(publications.find(event.eventId())).isEmpty();
							assertThat(jdbc.queryForObject(archived, Integer.class, event.eventId())).isOne();
							assertThat(jdbc.queryForObject(archivedRows, Integer.class, event.eventId())).isOne();
						}
						default -> assertThat(publications.find(event.eventId())).isEmpty();
					}
				});
				if (!mode.equals("archive")) {
					assertThat(jdbc.queryForObject(archived, Integer.class, event.eventId())).isZero();
				}
			});
		}
	}

	/** The publication once this number of runs is recorded and no dispatch holds it. */
	private static EventPublication awaitUnclaimed(EventPublications publications, String eventId, int attempts) {
		await().atMost(WAIT)
			.until(() -> publications.find(eventId)
				.filter((p) -> p.claimedBy() == null && p.handlers().get(0).attempts() == attempts)
				.isPresent());
		return publications.find(eventId).orElseThrow();
	}

	private static void createOrders(JdbcTemplate jdbc) {
		jdbc.execute("CREATE TABLE IF NOT EXISTS orders (id VARCHAR(64) PRIMARY KEY)");
	}

	@Test
	void handlersRunAfterCommitAndSeeTheCommittedData() {
		runner().run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			createOrders(jdbc);
			EventBus bus = context.getBean(EventBus.class);
			List<String> ran = new CopyOnWriteArrayList<>();
			bus.on(OrderPlaced.class, (event) -> {
				ran.add(event.orderId);
				Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE id = ?", Integer.class,
						event.orderId);
				return "seen " + rows;
			}, HandlerOptions.defaults().name("Billing.charge"));
			EventPublications publications = context.getBean(EventPublications.class);

			OrderPlaced event = new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
				.execute((status) -> {
					jdbc.update("INSERT INTO orders (id) VALUES (?)", "o-1");
					OrderPlaced emitted = bus.emit(new OrderPlaced("o-1"));
					assertThatIllegalStateException().isThrownBy(emitted::done)
						.withMessageContaining("is held until the transaction that emitted it commits");
					assertThat(ran).isEmpty();
					return emitted;
				});

			assertThat(event.eventResult()).isEqualTo("seen 1");
			assertThat(ran).containsExactly("o-1");
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(publications.find(event.eventId())).hasValueSatisfying((p) -> {
					assertThat(p.isCompleted()).isTrue();
					assertThat(p.busName()).isEqualTo("ApplicationBus");
					assertThat(p.handlers()).singleElement().satisfies((handler) -> {
						assertThat(handler.handlerKey()).isEqualTo("Billing.charge");
						assertThat(handler.status()).isEqualTo(HandlerPublication.Status.COMPLETED);
						assertThat(handler.attempts()).isEqualTo(1);
						assertThat(handler.resultJson()).isEqualTo("\"seen 1\"");
					});
				}));
			assertThat(publications.findIncomplete()).isEmpty();
			assertThat(publications.findCompleted(10)).extracting(EventPublication::eventId)
				.containsExactly(event.eventId());
		});
	}

	@Test
	void storedResultIsWrittenWithTheApplicationsJacksonCustomizations() {
		runner()
			.withConfiguration(
					AutoConfigurations.of(JacksonAutoConfiguration.class, BubusJacksonAutoConfiguration.class))
			.withBean("moneyModule", JacksonModule.class, PublicationLogContractTests::moneyModule)
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				bus.on(Quoted.class, (event) -> new Money(event.cents + 1, "EUR"),
						HandlerOptions.defaults().name("Pricing.quote"));
				EventPublications publications = context.getBean(EventPublications.class);
				Quoted event = inTransaction(context, () -> bus.emit(new Quoted(1249)));
				event.done(WAIT);
				assertThat(event.eventResult()).isEqualTo(new Money(1250, "EUR"));

				await().atMost(WAIT)
					.untilAsserted(() -> assertThat(publications.find(event.eventId()))
						.hasValueSatisfying((p) -> assertThat(p.isCompleted()).isTrue()));
				HandlerPublication handler = publications.find(event.eventId()).orElseThrow().handlers().get(0);
				// the module's form, as in the event's own JSON, not the default
				// {"cents":..,"currency":..}
				assertThat(handler.resultJson()).isEqualTo("\"1250 EUR\"");
				assertThat(event.toJson()).contains("\"result\":\"1250 EUR\"");
				assertThat(BubusJson.MAPPER.writeValueAsString(new Money(1250, "EUR"))).contains("\"cents\"");
			});
	}

	@Test
	void rolledBackEventIsNeverDispatchedAndLeavesNoRow() {
		runner().run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			createOrders(jdbc);
			EventBus bus = context.getBean(EventBus.class);
			List<String> ran = new CopyOnWriteArrayList<>();
			bus.on(OrderPlaced.class, (event) -> ran.add(event.orderId) ? "ran" : "ran");
			AtomicReference<OrderPlaced> emitted = new AtomicReference<>();

			new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
				.executeWithoutResult((status) -> {
					jdbc.update("INSERT INTO orders (id) VALUES (?)", "o-2");
					emitted.set(bus.emit(new OrderPlaced("o-2")));
					status.setRollbackOnly();
				});

			assertThat(bus.waitUntilIdle(WAIT)).isTrue();
			assertThat(ran).isEmpty();
			assertThat(bus.eventHistory()).isEmpty();
			assertThatIllegalStateException().isThrownBy(() -> emitted.get().done())
				.withMessageEndingWith("was not dispatched: the transaction that emitted it rolled back");
			assertThat(context.getBean(EventPublications.class).find(emitted.get().eventId())).isEmpty();
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bubus_publication", Integer.class)).isZero();
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM bubus_publication_handler", Integer.class)).isZero();
		});
	}

	@Test
	void emitOutsideATransactionRunsAtOnceAndWritesNothing() {
		runner().run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			bus.on(OrderPlaced.class, (event) -> "now");
			OrderPlaced event = bus.emit(new OrderPlaced("o-3"));

			assertThat(event.eventResult()).isEqualTo("now");
			assertThat(context.getBean(EventPublications.class).find(event.eventId())).isEmpty();
		});
	}

	@Test
	void handlerFailingTwiceThenSucceedingIsResubmittedAloneAndCompletesWithThreeAttempts() {
		runner("bubus.publications.check-interval=50ms", "bubus.publications.backoff=20ms").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			AtomicInteger charges = new AtomicInteger();
			AtomicInteger mails = new AtomicInteger();
			List<String> idsSeen = new CopyOnWriteArrayList<>();
			bus.on(OrderPlaced.class, (event) -> {
				idsSeen.add(event.eventId());
				if (charges.incrementAndGet() <= 2) {
					throw new IllegalStateException("card service down (" + charges.get() + ")");
				}
				return "charged";
			}, HandlerOptions.defaults().name("Billing.charge"));
			bus.on(OrderPlaced.class, (event) -> "mailed " + mails.incrementAndGet(),
					HandlerOptions.defaults().name("Mail.send"));
			EventPublications publications = context.getBean(EventPublications.class);

			OrderPlaced event = inTransaction(context, () -> bus.emit(new OrderPlaced("o-4")));

			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(publications.find(event.eventId()))
					.hasValueSatisfying((p) -> assertThat(p.isCompleted()).isTrue()));
			EventPublication publication = publications.find(event.eventId()).orElseThrow();
			Map<String, HandlerPublication> handlers = byKey(publication);
			assertThat(handlers.get("Billing.charge").attempts()).isEqualTo(3);
			assertThat(handlers.get("Billing.charge").resultJson()).isEqualTo("\"charged\"");
			assertThat(handlers.get("Billing.charge").errorType()).isNull();
			assertThat(handlers.get("Mail.send").attempts()).isEqualTo(1);
			assertThat(mails).hasValue(1);
			assertThat(charges).hasValue(3);
			assertThat(idsSeen).containsOnly(event.eventId()).hasSize(3);
			assertThat(publication.resubmissions()).isEqualTo(2);
			// the caller's object holds the first dispatch's outcome
			assertThat(event.eventResults().values()).extracting((result) -> result.status().wireValue())
				.containsExactlyInAnyOrder("error", "completed");
		});
	}

	@Test
	void failedHandlerIsListedWithItsErrorAndResubmittedOnRequest() {
		runner().run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			AtomicBoolean up = new AtomicBoolean();
			bus.on(OrderPlaced.class, (event) -> {
				if (!up.get()) {
					throw new IllegalStateException("warehouse offline");
				}
				return "reserved";
			}, HandlerOptions.defaults().name("Stock.reserve"));
			EventPublications publications = context.getBean(EventPublications.class);
			OrderPlaced event = inTransaction(context, () -> bus.emit(new OrderPlaced("o-5")));
			event.done(WAIT);

			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(publications.findFailed()).singleElement()
					.satisfies((p) -> assertThat(p.handlers()).singleElement().satisfies((handler) -> {
						assertThat(handler.status()).isEqualTo(HandlerPublication.Status.FAILED);
						assertThat(handler.errorType()).isEqualTo(IllegalStateException.class.getName());
						assertThat(handler.errorMessage()).isEqualTo("warehouse offline");
						assertThat(handler.attempts()).isEqualTo(1);
						assertThat(handler.lastAttemptAt()).isNotNull();
					})));
			up.set(true);

			assertThat(publications.resubmitIncomplete((p) -> p.eventType().equals("OrderPlaced"))).isEqualTo(1);

			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(publications.find(event.eventId()))
					.hasValueSatisfying((p) -> assertThat(p.isCompleted()).isTrue()));
			assertThat(publications.resubmit(event.eventId())).isFalse();
			assertThat(bus.find(OrderPlaced.class).get()).hasValueSatisfying((copy) -> {
				assertThat(copy.eventId()).isEqualTo(event.eventId());
				assertThat(copy.eventResult()).isEqualTo("reserved");
			});
		});
	}

	@Test
	void resubmittingThoseOlderThanAnAgeTakesOnlyPublicationsPublishedBeforeItByTheApplicationsClock() {
		Instant nine = Instant.parse("2026-01-05T09:00:00Z");
		SettableClock clock = new SettableClock(nine);
		runner().withBean(Clock.class, () -> clock).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			AtomicBoolean up = new AtomicBoolean();
			bus.on(OrderPlaced.class, (event) -> {
				if (!up.get()) {
					throw new IllegalStateException("warehouse offline");
				}
				return "reserved " + event.orderId;
			}, HandlerOptions.defaults().name("Stock.reserve"));
			EventPublications publications = context.getBean(EventPublications.class);
			OrderPlaced early = inTransaction(context, () -> bus.emit(new OrderPlaced("early")));
			early.done(WAIT);
			clock.set(nine.plus(Duration.ofMinutes(30)));
			OrderPlaced late = inTransaction(context, () -> bus.emit(new OrderPlaced("late")));
			late.done(WAIT);
			assertThat(awaitUnclaimed(publications, early.eventId(), 1).publishedAt()).isEqualTo(nine);
			assertThat(awaitUnclaimed(publications, late.eventId(), 1).publishedAt())
				.isEqualTo(nine.plus(Duration.ofMinutes(30)));
			up.set(true);

			assertThat(publications.resubmitIncompleteOlderThan(Duration.ofMinutes(20))).isOne();

			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(publications.find(early.eventId()))
					.hasValueSatisfying((p) -> assertThat(p.isCompleted()).isTrue()));
			assertThat(publications.find(early.eventId()).orElseThrow().handlers().get(0).resultJson())
				.isEqualTo("\"reserved early\"");
			assertThat(publications.findIncomplete()).singleElement().satisfies((p) -> {
				assertThat(p.eventId()).isEqualTo(late.eventId());
				assertThat(p.handlers().get(0).attempts()).isEqualTo(1);
			});
		});
	}

	@Test
	void aRestartWithTheSameInstanceIdResubmitsTheEarlierRunsUnfinishedPublicationsOnceTheirLeaseExpired() {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		String[] instance = { "bubus.publications.instance-id=web-1", "bubus.publications.lease=1s" };
		runner(instance).run((first) -> {
			EventBus bus = first.getBean(EventBus.class);
			bus.on(OrderPlaced.class, (event) -> {
				started.countDown();
				return release.await(30, TimeUnit.SECONDS) ? "first run" : "first run, timed out";
			}, HandlerOptions.defaults().name("Billing.charge"));
			try {
				OrderPlaced event = inTransaction(first, () -> bus.emit(new OrderPlaced("o-9")));
				assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
				// the first run now holds its claim like a crashed one: it runs no
				// checks, so it
				// does not renew it; the restarted run (republish-on-restart off) must
				// not renew it
				// either, and takes the publication over once the lease expired
				runner(instance).withPropertyValues("bubus.publications.check-interval=100ms").run((second) -> {
					second.getBean(EventBus.class)
						.on(OrderPlaced.class, (placed) -> "second run",
								HandlerOptions.defaults().name("Billing.charge"));
					EventPublications publications = second.getBean(EventPublications.class);
					await().atMost(WAIT)
						.untilAsserted(() -> assertThat(publications.find(event.eventId())).hasValueSatisfying((p) -> {
							assertThat(p.isCompleted()).isTrue();
							assertThat(p.handlers().get(0).resultJson()).isEqualTo("\"second run\"");
						}));
				});
			}
			finally {
				release.countDown();
			}
		});
	}

	/** A clock the test moves; the publication log's clock when it is a bean. */
	static final class SettableClock extends Clock {

		private final AtomicReference<Instant> now;

		SettableClock(Instant now) {
			this.now = new AtomicReference<>(now);
		}

		void set(Instant instant) {
			this.now.set(instant);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

	}

	@Test
	void childEmittedInsideATransactionalHandlerIsHeldUntilTheHandlerCommits() {
		runner().run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			createOrders(jdbc);
			EventBus bus = context.getBean(EventBus.class);
			EventPublications publications = context.getBean(EventPublications.class);
			AtomicReference<OrderShipped> child = new AtomicReference<>();
			Map<String, Boolean> heldInside = new ConcurrentHashMap<>();
			bus.on(OrderPlaced.class, (event) -> {
				inTransaction(context, () -> {
					jdbc.update("INSERT INTO orders (id) VALUES (?)", "ship-" + event.orderId);
					OrderShipped shipped = bus.emit(new OrderShipped(event.orderId));
					heldInside.put("held", shipped.eventStatus() == io.bubus.EventStatus.PENDING
							&& publications.find(shipped.eventId()).isEmpty());
					child.set(shipped);
					return shipped;
				});
				return child.get().eventResult();
			});
			bus.on(OrderShipped.class, (event) -> "shipped after " + jdbc
				.queryForObject("SELECT COUNT(*) FROM orders WHERE id = ?", Integer.class, "ship-" + event.orderId));

			OrderPlaced parent = inTransaction(context, () -> bus.emit(new OrderPlaced("o-6")));

			assertThat(parent.eventResult()).isEqualTo("shipped after 1");
			assertThat(heldInside).containsEntry("held", true);
			assertThat(child.get().eventParentId()).isEqualTo(parent.eventId());
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(publications.find(child.get().eventId()))
					.hasValueSatisfying((p) -> assertThat(p.isCompleted()).isTrue()));
		});
	}

	private static JacksonModule moneyModule() {
		SimpleModule module = new SimpleModule("money");
		module.addSerializer(Money.class, new ValueSerializer<>() {
			@Override
			public void serialize(Money value, JsonGenerator generator, SerializationContext context) {
				generator.writeString(value.cents() + " " + value.currency());
			}
		});
		return module;
	}

	public record Money(long cents, String currency) {
	}

	public static class Quoted extends BaseEvent<Money> {

		public long cents;

		public Quoted() {
		}

		Quoted(long cents) {
			this.cents = cents;
		}

	}

}
