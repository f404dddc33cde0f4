package io.bubus.spring.autoconfigure.bridge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.BubusHandler;
import io.bubus.bridge.EventBridge;
import io.bubus.bridge.JsonlEventBridge;
import io.bubus.bridge.sqlite.SqliteEventBridge;
import io.bubus.spring.autoconfigure.BubusProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application whose jsonl or sqlite bridge keeps its read position in a
 * {@code position-file}: stopped and started again, it receives what was written while it
 * was down, and nothing twice.
 */
class BridgeReadPositionTests {

	private static final Duration POLL = Duration.ofMillis(10);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "jsonl", "sqlite" })
	void aRestartedApplicationReceivesExactlyTheEventsWrittenWhileItWasDown(String type) throws Exception {
		Path positionFile = this.dir.resolve("state/audit.pos");
		String[] properties = properties(type, "bubus.bridges.audit.position-file=" + positionFile);
		Inbox first = new Inbox();
		Inbox second = new Inbox();
		try (EventBridge writer = writer(type)) {
			writer.emit(new Ping("before the first start"));
			application(first, properties).run((context) -> {
				assertThat(context).hasNotFailed();
				writer.emit(new Ping("one"));
				writer.emit(new Ping("two"));
				await().atMost(TwoApplications.WAIT).until(() -> first.texts.size() >= 2);
			});
			long storedAtShutdown = Long.parseLong(Files.readString(positionFile).strip());
			assertThat(storedAtShutdown).isEqualTo(endOf(type));

			writer.emit(new Ping("three while down"));
			writer.emit(new Ping("four while down"));
			application(second, properties).run((context) -> {
				assertThat(context).hasNotFailed();
				await().atMost(TwoApplications.WAIT).until(() -> second.texts.size() >= 2);
				// a later event arrives after anything that could still come twice
				writer.emit(new Ping("five"));
				await().atMost(TwoApplications.WAIT).until(() -> second.texts.contains("five"));
			});
		}
		assertThat(first.texts).containsExactly("one", "two");
		assertThat(second.texts).containsExactly("three while down", "four while down", "five");
		assertThat(Long.parseLong(Files.readString(positionFile).strip())).isEqualTo(endOf(type));
	}

	@Test
	void eventsTheBusCancelsOrAbortsAtShutdownAreReceivedAfterTheRestart() throws Exception {
		Path positionFile = this.dir.resolve("audit.pos");
		String[] properties = properties("jsonl", "bubus.bridges.audit.position-file=" + positionFile);
		CountDownLatch slowStarted = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Inbox first = new Inbox() {

			@Override
			String on(Ping ping) {
				super.on(ping);
				if (ping.text.equals("slow")) {
					slowStarted.countDown();
					try {
						release.await(TwoApplications.WAIT.toSeconds(), TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}
				return "seen";
			}

		};
		Inbox second = new Inbox();
		try (EventBridge writer = writer("jsonl")) {
			// the bus has 100 ms to finish at shutdown; "slow" holds it, the others wait
			application(first, properties).withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=100ms")
				.run((context) -> {
					writer.emit(new Ping("slow"));
					writer.emit(new Ping("queued one"));
					writer.emit(new Ping("queued two"));
					assertThat(slowStarted.await(TwoApplications.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
				});
			release.countDown();
			application(second, properties).run((context) -> {
				writer.emit(new Ping("after"));
				await().atMost(TwoApplications.WAIT).until(() -> second.texts.contains("after"));
			});
		}
		// "slow" was running when the stop aborted it: unfinished, so it comes again
		assertThat(first.texts).containsExactly("slow");
		assertThat(second.texts).containsExactly("slow", "queued one", "queued two", "after");
	}

	@Test
	void thePositionIsStoredWhileEventsAreReceived() throws Exception {
		Path positionFile = this.dir.resolve("audit.pos");
		Inbox inbox = new Inbox();
		try (EventBridge writer = writer("jsonl")) {
			application(inbox, properties("jsonl", "bubus.bridges.audit.position-file=" + positionFile,
					"bubus.bridges.audit.position-save-interval=20ms"))
				.run((context) -> {
					writer.emit(new Ping("one"));
					await().atMost(TwoApplications.WAIT).until(() -> inbox.texts.contains("one"));
					long end = endOf("jsonl");
					await().atMost(TwoApplications.WAIT)
						.until(() -> Files.exists(positionFile)
								&& Files.readString(positionFile).strip().equals(Long.toString(end)));
				});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "jsonl", "sqlite" })
	void aFirstStartWithoutAStoredPositionFollowsStartAt(String type) throws Exception {
		Path positionFile = this.dir.resolve("new.pos");
		Inbox atEnd = new Inbox();
		Inbox atBeginning = new Inbox();
		try (EventBridge writer = writer(type)) {
			writer.emit(new Ping("old"));
			application(atEnd, properties(type)).run((context) -> {
				writer.emit(new Ping("new"));
				await().atMost(TwoApplications.WAIT).until(() -> atEnd.texts.contains("new"));
			});
			application(atBeginning,
					properties(type, "bubus.bridges.audit.position-file=" + positionFile,
							"bubus.bridges.audit.start-at=beginning"))
				.run((context) -> await().atMost(TwoApplications.WAIT).until(() -> atBeginning.texts.contains("new")));
		}
		assertThat(atEnd.texts).containsExactly("new");
		assertThat(atBeginning.texts).containsExactly("old", "new");
		assertThat(Files.readString(positionFile).strip()).isEqualTo(Long.toString(endOf(type)));
	}

	@Test
	void aMalformedPositionFileFailsStartupNamingTheFileAndTheProperty() throws Exception {
		Path positionFile = this.dir.resolve("broken.pos");
		Files.writeString(positionFile, "not a position\n");
		application(new Inbox(), properties("jsonl", "bubus.bridges.audit.position-file=" + positionFile))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.audit.position-file " + positionFile
						+ " does not hold a read position (a whole number >= 0) but 'not a position'; "
						+ "correct it, or delete it to start at bubus.bridges.audit.start-at (end)"));
		assertThat(Files.readString(positionFile)).isEqualTo("not a position\n");
	}

	@Test
	void aPositionFileOnABridgeWithoutAReadPositionFailsStartup() {
		TwoApplications.runner()
			.withPropertyValues("bubus.bridges.audit.type=socket",
					"bubus.bridges.audit.path=" + this.dir.resolve("audit.sock"),
					"bubus.bridges.audit.position-file=" + this.dir.resolve("audit.pos"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.audit.position-file is set, but a socket bridge has no read position; "
						+ "jsonl, sqlite and postgres bridges do"));
	}

	@Test
	void aPositionFileOnAPostgresBridgeWithAGroupFailsStartup() {
		TwoApplications.runner()
			.withPropertyValues("bubus.bridges.orders.type=postgres",
					"bubus.bridges.orders.url=postgresql://postgres@127.0.0.1:5432/test/orders",
					"bubus.bridges.orders.group=billing",
					"bubus.bridges.orders.position-file=" + this.dir.resolve("orders.pos"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.orders.position-file is set, but a postgres bridge with a group keeps its "
						+ "position in the database; remove one of them"));
	}

	@Test
	void aPositionFileWithoutReceiveFailsStartup() {
		TwoApplications.runner()
			.withPropertyValues(properties("jsonl", "bubus.bridges.audit.position-file=" + this.dir.resolve("a.pos"),
					"bubus.bridges.audit.receive=false"))
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("bubus.bridges.audit.position-file is set, but receive is false"));
	}

	@Test
	void positionPropertiesBindWithTheirDefaults() {
		Map<String, String> values = Map.of("bubus.bridges.audit.type", "sqlite", "bubus.bridges.other.type", "jsonl",
				"bubus.bridges.audit.position-file", "/var/lib/app/audit.pos", "bubus.bridges.audit.start-at",
				"beginning", "bubus.bridges.audit.position-save-interval", "5");
		BubusProperties properties = new Binder(new MapConfigurationPropertySource(values))
			.bind("bubus", BubusProperties.class)
			.get();
		BubusProperties.Bridge audit = properties.getBridges().get("audit");
		assertThat(audit.getPositionFile()).isEqualTo(Path.of("/var/lib/app/audit.pos"));
		assertThat(audit.getStartAt()).isEqualTo(BubusProperties.Bridge.StartAt.BEGINNING);
		assertThat(audit.getPositionSaveInterval()).isEqualTo(Duration.ofSeconds(5));
		BubusProperties.Bridge other = properties.getBridges().get("other");
		assertThat(other.getPositionFile()).isNull();
		assertThat(other.getStartAt()).isEqualTo(BubusProperties.Bridge.StartAt.END);
		assertThat(other.getPositionSaveInterval()).isEqualTo(Duration.ofSeconds(1));
	}

	private ApplicationContextRunner application(Inbox inbox, String[] properties) {
		return TwoApplications.runner()
			.withPropertyValues("bubus.name=Audit")
			.withPropertyValues(properties)
			.withBean(Inbox.class, () -> inbox);
	}

	/** The entry's properties: receives only, polling every 10 ms. */
	private String[] properties(String type, String... more) {
		String file = type.equals("jsonl") ? "audit.jsonl" : "audit.db";
		List<String> all = new java.util.ArrayList<>(
				List.of("bubus.bridges.audit.type=" + type, "bubus.bridges.audit.path=" + this.dir.resolve(file),
						"bubus.bridges.audit.send=", "bubus.bridges.audit.poll-interval=10ms"));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	private EventBridge writer(String type) {
		return type.equals("jsonl") ? new JsonlEventBridge(this.dir.resolve("audit.jsonl"), POLL, "Writer", false)
				: new SqliteEventBridge(this.dir.resolve("audit.db"), SqliteEventBridge.DEFAULT_TABLE, POLL, "Writer");
	}

	/** The position after everything written so far: the file size, or the last rowid. */
	private long endOf(String type) throws Exception {
		if (type.equals("jsonl")) {
			return Files.size(this.dir.resolve("audit.jsonl"));
		}
		try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + this.dir.resolve("audit.db"));
				var query = connection.createStatement();
				var max = query.executeQuery("SELECT MAX(_rowid_) FROM " + SqliteEventBridge.DEFAULT_TABLE)) {
			max.next();
			return max.getLong(1);
		}
	}

	/** What the application's handler received, in order. */
	static class Inbox {

		final List<String> texts = new CopyOnWriteArrayList<>();

		@BubusHandler
		String on(Ping ping) {
			this.texts.add(ping.text);
			return "seen";
		}

	}

}
