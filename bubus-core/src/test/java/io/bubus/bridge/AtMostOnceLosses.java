package io.bubus.bridge;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import static io.bubus.bridge.BridgeTesting.note;
import static io.bubus.bridge.BridgeTesting.noteLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The check every at-most-once bridge runs on its real transport: a listener reached
 * through a proxy is cut off for 400 of 1,000 events; once it is back, every event that
 * did not arrive is counted in its {@code lostMessages()} and logged.
 */
public final class AtMostOnceLosses {

	private AtMostOnceLosses() {
	}

	/**
	 * Sends 1,000 notes (and probes until the listener is back) while the listener's
	 * proxy refuses and cuts it for events 300 to 699, and checks that the listener
	 * counted and logged each loss.
	 * @return what was sent and lost, for the test's report
	 */
	public static String countedAndLogged(TcpProxy proxy, EventBridge listener, EventBridge sender) {
		ListAppender<ILoggingEvent> log = new ListAppender<>();
		log.start();
		Logger lossLogger = (Logger) LoggerFactory.getLogger("io.bubus.bridge.LossLog");
		lossLogger.addAppender(log);
		try {
			List<Object> received = noteLabels(listener);
			AtomicInteger sent = new AtomicInteger();
			for (int i = 0; i < 1_000; i++) {
				if (i == 300) {
					proxy.refuse(true);
					proxy.cut();
				}
				if (i == 700) {
					proxy.refuse(false);
					// once the listener has subscribed again, a probe arrives
					await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
						sender.emit(note("probe"));
						sent.incrementAndGet();
						return received.contains("probe");
					});
				}
				sender.emit(note("e" + i));
				sent.incrementAndGet();
			}
			BridgeTesting.deliver(sender, received, "last");
			sent.incrementAndGet();
			long lost = sent.get() - received.size();
			assertThat(lost).isPositive();
			assertThat(listener.lostMessages()).as("every loss counted by the listener").isEqualTo(lost);
			assertThat(log.list).anySatisfy(
					(line) -> assertThat(line.getFormattedMessage()).contains("bridge " + listener.name() + " lost")
						.contains("at most once"));
			return sent + " sent, " + lost + " lost, " + listener.lostMessages() + " counted by the listener, "
					+ sender.lostMessages() + " by the sender";
		}
		finally {
			lossLogger.detachAppender(log);
		}
	}

}
