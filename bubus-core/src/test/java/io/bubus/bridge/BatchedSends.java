package io.bubus.bridge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.bubus.EventBus;
import org.assertj.core.api.ThrowableAssertAlternative;

import static io.bubus.bridge.BridgeTesting.labels;
import static io.bubus.bridge.BridgeTesting.note;
import static io.bubus.bridge.BridgeTesting.noteLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The batched-send checks every batching bridge runs on its real transport: what a bus
 * forwards arrives complete and in order, and {@code close()} sends what is still queued.
 */
public final class BatchedSends {

	/** Batches of up to 64 events that wait up to 5 ms to fill. */
	public static final SendBatching BATCHING = SendBatching.defaults().maxBatchSize(64).linger(Duration.ofMillis(5));

	/**
	 * Batches of up to 1000 events that wait 10 s to fill: nothing is sent before
	 * {@code close()} unless 1000 events are queued.
	 */
	public static final SendBatching LINGERING = SendBatching.defaults()
		.maxBatchSize(1000)
		.linger(Duration.ofSeconds(10));

	private BatchedSends() {
	}

	/**
	 * The {@link BridgeException} the future fails with, within 30 s (longer than any
	 * bridge retries a send).
	 */
	public static ThrowableAssertAlternative<?> assertFailure(CompletableFuture<?> future) {
		return assertThat(future).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(BridgeException.class);
	}

	/**
	 * A bus forwards {@code count} notes to the batching sender one at a time, as
	 * {@code bus.on("*", bridge::emit)} does; each completes on the bus before it is
	 * sent, {@code flush()} completes once all are, and the listener receives every one
	 * in order.
	 */
	public static void arriveCompleteAndInOrder(EventBridge sender, EventBridge listener, int count) throws Exception {
		assertThat(sender.sendBatching()).isNotNull();
		List<Object> labels = noteLabels(listener);
		try (EventBus bus = EventBus.builder("BatchingBus").maxHistorySize(0).build()) {
			bus.on("*", sender::emit);
			for (String label : labels(count)) {
				bus.emit(note(label));
			}
			assertThat(bus.waitUntilIdle(Duration.ofSeconds(30))).isTrue();
		}
		sender.flush().get(30, TimeUnit.SECONDS);
		assertThat(sender.pendingSends()).isZero();
		assertThat(sender.failedSends()).isZero();
		await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= count);
		assertThat(labels).containsExactlyElementsOf(labels(count));
	}

	/**
	 * Queues {@code count} (under 1000) notes on a sender batching with
	 * {@link #LINGERING} and closes it at once: {@code close()} returns once every note
	 * was sent, and the listener receives them all in order.
	 */
	public static void closeSendsWhatIsQueued(EventBridge sender, EventBridge listener, int count) {
		assertThat(sender.sendBatching()).isEqualTo(LINGERING);
		List<Object> labels = noteLabels(listener);
		for (String label : labels(count)) {
			sender.emit(note(label));
		}
		assertThat(sender.pendingSends()).as("queued, not yet sent").isEqualTo(count);
		sender.close();
		assertThat(sender.pendingSends()).isZero();
		assertThat(sender.failedSends()).isZero();
		await().atMost(Duration.ofSeconds(30)).until(() -> labels.size() >= count);
		assertThat(labels).containsExactlyElementsOf(labels(count));
	}

}
