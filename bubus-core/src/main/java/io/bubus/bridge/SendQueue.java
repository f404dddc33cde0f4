package io.bubus.bridge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a bridge sends: each event is encoded on the caller's thread (so bad input fails
 * {@code emit}), then written at once by {@code writer} (synchronous, the default) or,
 * after {@link #batch(SendBatching)}, queued for one sender thread that hands
 * {@code writer} up to {@link SendBatching#maxBatchSize()} messages at a time, in the
 * order they were accepted. The writer sends a list in one round trip, retrying as the
 * bridge's synchronous send does, and throws when it gives up.
 *
 * <p>
 * Public for the bridges in the {@code bubus-bridge-*} artifacts; not an application API.
 *
 * @param <M> the encoded message (a table row, a line, a publish)
 */
public final class SendQueue<M> {

	private static final Logger log = LoggerFactory.getLogger(SendQueue.class);

	private final EventBridge bridge;

	private final Function<BaseEvent<?>, M> encoder;

	private final Consumer<List<M>> writer;

	private final ReentrantLock lock = new ReentrantLock();

	/** Signalled when the queue gets its first event, fills a batch, or is closed. */
	private final Condition ready = this.lock.newCondition();

	private final Condition room = this.lock.newCondition();

	private final ArrayDeque<Entry<M>> queue = new ArrayDeque<>();

	private final List<FlushWaiter> waiters = new ArrayList<>();

	private volatile @Nullable SendBatching batching;

	private volatile boolean used;

	private @Nullable Thread sender;

	private boolean closed;

	/** Events accepted, and events sent or failed, since the bridge was created. */
	private long accepted;

	private long settled;

	private volatile long failed;

	private int inFlight;

	private @Nullable RuntimeException lastFailure;

	public SendQueue(EventBridge bridge, Function<BaseEvent<?>, M> encoder, Consumer<List<M>> writer) {
		this.bridge = bridge;
		this.encoder = encoder;
		this.writer = writer;
	}

	/** Switches to batched sending; only before the first send. */
	void batch(SendBatching batching) {
		this.lock.lock();
		try {
			if (this.used) {
				throw new IllegalStateException("bridge " + this.bridge.name()
						+ ": batchSends must be called before the first emit (events were already sent one by one)");
			}
			this.batching = batching;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Whether an event was sent or queued. */
	boolean used() {
		return this.used;
	}

	@Nullable SendBatching batching() {
		return this.batching;
	}

	/** Sends (or, batching, queues) the event; see {@link EventBridge#emit}. */
	public BaseEvent<?> emit(BaseEvent<?> event) {
		M message = this.encoder.apply(event);
		SendBatching options = batching();
		if (options == null) {
			this.used = true;
			this.writer.accept(List.of(message));
		}
		else {
			enqueue(options, new Entry<>(message, null, event));
		}
		return event;
	}

	/** Queues the event for batched sending; see {@link EventBridge#emitAsync}. */
	CompletableFuture<BaseEvent<?>> emitAsync(SendBatching options, BaseEvent<?> event) {
		CompletableFuture<BaseEvent<?>> sent = new CompletableFuture<>();
		enqueue(options, new Entry<>(this.encoder.apply(event), sent, event));
		return sent;
	}

	/** See {@link EventBridge#flush()}. */
	CompletableFuture<Void> flush() {
		this.lock.lock();
		try {
			if (this.settled == this.accepted) {
				return CompletableFuture.completedFuture(null);
			}
			FlushWaiter waiter = new FlushWaiter(this.accepted, this.failed, new CompletableFuture<>());
			this.waiters.add(waiter);
			return waiter.done;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Events accepted but not yet sent or failed. */
	int pending() {
		this.lock.lock();
		try {
			return (int) (this.accepted - this.settled);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Events accepted that could not be sent. */
	long failed() {
		return this.failed;
	}

	/**
	 * Sends what is queued, waiting at most the close timeout; what is left then is
	 * failed, counted and logged. Later emits fail.
	 */
	void close() {
		SendBatching options = batching();
		Thread thread;
		this.lock.lock();
		try {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.ready.signalAll();
			this.room.signalAll();
			thread = this.sender;
		}
		finally {
			this.lock.unlock();
		}
		if (options == null || thread == null) {
			return;
		}
		try {
			thread.join(options.closeTimeout());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		abandonQueued(options);
	}

	private void abandonQueued(SendBatching options) {
		List<Entry<M>> left;
		int sending;
		this.lock.lock();
		try {
			left = new ArrayList<>(this.queue);
			this.queue.clear();
			sending = this.inFlight;
		}
		finally {
			this.lock.unlock();
		}
		if (left.isEmpty() && sending == 0) {
			return;
		}
		log.error(
				"bridge {} closed with {} events not sent within {}: {} queued events are dropped (counted in "
						+ "failedSends), {} events of the batch being sent may still arrive",
				this.bridge.name(), left.size() + sending, options.closeTimeout(), left.size(), sending);
		settle(left,
				new BridgeException("bridge " + this.bridge.name() + " closed with " + left.size()
						+ " events still queued after waiting " + options.closeTimeout() + " for the transport"),
				false);
	}

	private void enqueue(SendBatching options, Entry<M> entry) {
		this.lock.lock();
		try {
			this.used = true;
			long nanos = options.queueFullTimeout().toNanos();
			while (!this.closed && this.queue.size() >= options.queueCapacity()) {
				if (nanos <= 0) {
					throw new BridgeException("bridge " + this.bridge.name() + ": the send queue has been full ("
							+ options.queueCapacity() + " events) for " + options.queueFullTimeout()
							+ "; the transport is down or slower than the events arrive");
				}
				nanos = this.room.awaitNanos(nanos);
			}
			if (this.closed) {
				throw new BridgeException("bridge " + this.bridge.name() + " is closed; the event was not sent");
			}
			this.queue.add(entry);
			this.accepted++;
			if (this.sender == null) {
				this.sender = Thread.ofPlatform()
					.daemon()
					.name("bubus-send-" + this.bridge.name())
					.start(() -> sendLoop(options));
			}
			if (this.queue.size() == 1 || this.queue.size() == options.maxBatchSize()) {
				this.ready.signal();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BridgeException(
					"bridge " + this.bridge.name() + " was interrupted waiting for room in its send queue", ex);
		}
		finally {
			this.lock.unlock();
		}
	}

	private void sendLoop(SendBatching options) {
		while (true) {
			List<Entry<M>> batch = nextBatch(options);
			if (batch.isEmpty()) {
				return;
			}
			List<M> messages = new ArrayList<>(batch.size());
			for (Entry<M> entry : batch) {
				messages.add(entry.message);
			}
			RuntimeException failure = null;
			try {
				this.writer.accept(messages);
			}
			catch (RuntimeException ex) {
				failure = ex;
				log.error("bridge {} could not send a batch of {} events (counted in failedSends): {}",
						this.bridge.name(), batch.size(), ex.getMessage(), ex);
			}
			settle(batch, failure, true);
		}
	}

	/** Up to one batch, after the linger; empty once closed and drained. */
	private List<Entry<M>> nextBatch(SendBatching options) {
		this.lock.lock();
		try {
			while (this.queue.isEmpty() && !this.closed) {
				this.ready.awaitUninterruptibly();
			}
			long linger = options.linger().toNanos();
			while (!this.closed && linger > 0 && this.queue.size() < options.maxBatchSize()) {
				try {
					linger = this.ready.awaitNanos(linger);
				}
				catch (InterruptedException ex) {
					// nobody interrupts the sender; if someone does, send
					// without lingering
					linger = 0;
				}
			}
			int size = Math.min(this.queue.size(), options.maxBatchSize());
			List<Entry<M>> batch = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				batch.add(this.queue.poll());
			}
			this.inFlight = size;
			this.room.signalAll();
			return batch;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * Completes the entries' futures and the flushes waiting for them; {@code batchDone}
	 * when they are the sender's batch.
	 */
	private void settle(List<Entry<M>> entries, @Nullable RuntimeException failure, boolean batchDone) {
		for (Entry<M> entry : entries) {
			if (entry.sent == null) {
				continue;
			}
			if (failure == null) {
				entry.sent.complete(entry.event);
			}
			else {
				entry.sent.completeExceptionally(failure);
			}
		}
		List<FlushWaiter> done = new ArrayList<>();
		this.lock.lock();
		try {
			this.settled += entries.size();
			if (batchDone) {
				this.inFlight = 0;
			}
			if (failure != null) {
				this.failed += entries.size();
				this.lastFailure = failure;
			}
			for (Iterator<FlushWaiter> it = this.waiters.iterator(); it.hasNext();) {
				FlushWaiter waiter = it.next();
				if (waiter.through <= this.settled) {
					done.add(waiter);
					it.remove();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		for (FlushWaiter waiter : done) {
			long failedSince = this.failed - waiter.failedBefore;
			if (failedSince == 0) {
				waiter.done.complete(null);
			}
			else {
				waiter.done.completeExceptionally(new BridgeException("bridge " + this.bridge.name() + ": "
						+ failedSince + " events could not be sent since flush() was called", this.lastFailure));
			}
		}
	}

	/** An accepted event: its message, and the future of emitAsync (if any). */
	private record Entry<M>(M message, @Nullable CompletableFuture<BaseEvent<?>> sent, BaseEvent<?> event) {
	}

	/** A flush: done when {@code through} events are settled. */
	private record FlushWaiter(long through, long failedBefore, CompletableFuture<Void> done) {
	}

}
