package io.bubus.test.spring;

import java.time.Duration;

import io.bubus.EventBus;

import org.springframework.context.ApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * After each test method, waits for the application's buses to become idle (at most 10
 * seconds; the test fails when one does not, since its events would leak into the next
 * test) and clears their history. Without it a cached context carries one test's events
 * into the next, and a bus with {@code max-history-drop=false} rejects events once the
 * suite has emitted {@code max-history-size} of them. Contexts that are not loaded, or
 * have no bus, are left alone.
 */
final class BubusTestExecutionListener implements TestExecutionListener, Ordered {

	private static final Duration SETTLE = Duration.ofSeconds(10);

	@Override
	public int getOrder() {
		// after the dependency injection listener, before the dirties-context one
		return 3_500;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (!testContext.hasApplicationContext()) {
			return;
		}
		ApplicationContext context = testContext.getApplicationContext();
		for (EventBus bus : ApplicationBuses.of(context)) {
			if (bus.isStopped()) {
				continue;
			}
			if (!bus.waitUntilIdle(SETTLE)) {
				throw new AssertionError(
						bus.label() + " is still busy 10s after " + testContext.getTestMethod().getName()
								+ "; its events would leak into the next test: " + bus + "\n" + bus.logTree());
			}
			bus.clearHistory();
		}
	}

}
