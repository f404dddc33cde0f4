package io.bubus.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.bubus.EventBus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Stops every {@link EventBus} bean gracefully when the context closes: each bus gets up
 * to {@code spring.lifecycle.timeout-per-shutdown-phase} to finish what is queued and
 * running (still accepting events emitted meanwhile), then stops, cancelling what is
 * left. Runs in a late phase, after the web server has stopped taking requests.
 */
final class EventBusLifecycle implements SmartLifecycle {

	/** Stops after the web server (graceful shutdown runs at DEFAULT_PHASE - 1024). */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(EventBusLifecycle.class);

	private final ListableBeanFactory beanFactory;

	private final Duration timeout;

	private volatile boolean running;

	EventBusLifecycle(ListableBeanFactory beanFactory, Duration timeout) {
		this.beanFactory = beanFactory;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		stopBuses();
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		Thread.ofVirtual().name("bubus-shutdown").start(() -> {
			try {
				stop();
			}
			finally {
				callback.run();
			}
		});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void stopBuses() {
		Collection<EventBus> buses = this.beanFactory.getBeansOfType(EventBus.class, false, false).values();
		// Leave a little of the phase timeout so the callback arrives before Spring gives
		// up.
		Duration grace = this.timeout.minusMillis(100).isNegative() ? Duration.ZERO : this.timeout.minusMillis(100);
		List<Thread> stoppers = new ArrayList<>();
		for (EventBus bus : buses) {
			stoppers.add(Thread.ofVirtual().name("bubus-stop-" + bus.name()).start(() -> stopBus(bus, grace)));
		}
		for (Thread stopper : stoppers) {
			try {
				stopper.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private static void stopBus(EventBus bus, Duration grace) {
		if (bus.isStopped()) {
			return;
		}
		int queued = bus.queueSize();
		bus.stop(grace, false);
		if (logger.isDebugEnabled()) {
			logger.debug("Stopped " + bus.label() + " (" + queued + " queued at shutdown)");
		}
	}

}
