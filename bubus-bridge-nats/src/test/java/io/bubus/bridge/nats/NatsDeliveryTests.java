package io.bubus.bridge.nats;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.bubus.BaseEvent;
import io.bubus.bridge.AtMostOnceLosses;
import io.bubus.bridge.BatchedSends;
import io.bubus.bridge.BridgeException;
import io.bubus.bridge.BridgeTesting;
import io.bubus.bridge.TcpProxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.bubus.bridge.BridgeTesting.note;
import static io.bubus.bridge.BridgeTesting.noteLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Core NATS is at most once: under faults, against the real server through loopback
 * proxies, every loss is counted and logged, and a send the server did not confirm fails
 * back to the caller.
 */
@Tag("services")
class NatsDeliveryTests {

	private static final String SERVER = "nats://127.0.0.1:4222";

	private final String subject = BridgeTesting.randomName("subj") + ".events";

	@BeforeAll
	static void natsIsRunning() {
		BridgeTesting.requireService("NATS", 4222,
				"start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log");
	}

	@Test
	void lossesWhileAListenerIsCutOffAreCountedAndLogged() throws Exception {
		try (TcpProxy proxy = new TcpProxy(4222);
				NatsEventBridge listener = new NatsEventBridge(via(proxy), this.subject, "NatsLossListener");
				NatsEventBridge sender = new NatsEventBridge(SERVER, this.subject, "NatsLossSender")) {
			System.out.println("NATS core: " + AtMostOnceLosses.countedAndLogged(proxy, listener, sender));
		}
	}

	@Test
	void aSilentServerFailsTheEmitNamingTheBridgeAndTheWait() throws Exception {
		try (TcpProxy proxy = new TcpProxy(4222);
				NatsEventBridge sender = new NatsEventBridge(via(proxy), this.subject, "NatsSilent")
					.sendTimeout(Duration.ofSeconds(2))) {
			sender.emit(note("before"));
			proxy.freeze(true);
			CompletableFuture<Object> emit = CompletableFuture.supplyAsync(() -> sender.emit(note("during")));
			assertThat(emit).failsWithin(Duration.ofSeconds(20))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(BridgeException.class)
				.withMessageContaining("bridge NatsSilent could not publish 1 event(s) to " + this.subject)
				.withMessageContaining("within PT2S");
			proxy.freeze(false);
		}
	}

	@Test
	void aBatchThatTheSilentServerDidNotConfirmIsCountedInFailedSends() throws Exception {
		try (TcpProxy proxy = new TcpProxy(4222);
				NatsEventBridge listener = new NatsEventBridge(SERVER, this.subject, "NatsBatchListener");
				NatsEventBridge sender = new NatsEventBridge(via(proxy), this.subject, "NatsSilentBatcher")
					.sendTimeout(Duration.ofSeconds(2))
					.batchSends(BatchedSends.BATCHING)) {
			List<Object> labels = noteLabels(listener);
			assertThat(sender.emitAsync(note("before"))).succeedsWithin(Duration.ofSeconds(10));
			proxy.freeze(true);
			CompletableFuture<BaseEvent<?>> during = sender.emitAsync(note("during"));
			BatchedSends.assertFailure(during).withMessageContaining("bridge NatsSilentBatcher could not publish");
			await().atMost(Duration.ofSeconds(10)).until(() -> sender.failedSends() == 1);
			proxy.freeze(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> labels.contains("before"));
		}
	}

	private static String via(TcpProxy proxy) {
		return "nats://127.0.0.1:" + proxy.port();
	}

}
