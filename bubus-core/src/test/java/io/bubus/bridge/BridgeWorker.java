package io.bubus.bridge;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.bubus.BaseEvent;

/**
 * The second JVM of the bridge tests: listens on a bridge, answers every {@link Ping}
 * with a {@link Pong} carrying the received payload, writes its listening address to a
 * ready file once listening, and exits after the first reply (or after 60 s).
 * <p>
 * Arguments: kind ({@code jsonl|http|socket|sqlite|...}), where to reply, where to
 * listen, ready file (for the SQLite, Postgres, Redis and NATS bridges: the table,
 * channel or subject, and the file or URL; for RabbitMQ: two
 * {@code amqp://host:port#queue} URIs). The bridges in their own artifacts are created by
 * their {@link Listener}.
 */
public final class BridgeWorker {

	private BridgeWorker() {
	}

	public static void main(String[] args) throws Exception {
		String kind = args[0];
		String replyTo = args[1];
		String listenOn = args[2];
		Path ready = Path.of(args[3]);
		BaseEvent.register(Ping.class);
		BaseEvent.register(Pong.class);
		CountDownLatch replied = new CountDownLatch(1);
		EventBridge listener = listener(kind, replyTo, listenOn);
		EventBridge sender = kind.equals("socket") ? new SocketEventBridge(Path.of(replyTo), "WorkerReply") : listener;
		try (listener; sender) {
			listener.on(Ping.class, (ping) -> {
				Pong pong = new Pong();
				pong.label = ping.label;
				pong.count = ping.count;
				pong.receivedType = ping.getClass().getSimpleName();
				sender.emit(pong);
				replied.countDown();
				return "pong sent";
			});
			String address = (listener instanceof HttpEventBridge http) ? String.valueOf(http.listenUri()) : listenOn;
			Files.writeString(ready, address);
			replied.await(60, TimeUnit.SECONDS);
		}
		System.exit(0);
	}

	private static EventBridge listener(String kind, String replyTo, String listenOn) throws Exception {
		return switch (kind) {
			case "jsonl" -> new JsonlEventBridge(Path.of(listenOn), Duration.ofMillis(10), "WorkerBridge", false);
			case "http" -> new HttpEventBridge(URI.create(replyTo), URI.create(listenOn), "WorkerBridge", "s3cret");
			case "socket" -> new SocketEventBridge(Path.of(listenOn), "WorkerBridge");
			default -> transportListener(kind, replyTo, listenOn);
		};
	}

	/**
	 * The listener of a bridge in its own artifact: the test class
	 * {@code io.bubus.bridge.<kind>.WorkerListener} of that artifact creates it.
	 */
	private static EventBridge transportListener(String kind, String replyTo, String listenOn) throws Exception {
		Class<?> type = Class.forName("io.bubus.bridge." + kind + ".WorkerListener");
		Listener listener = (Listener) type.getDeclaredConstructor().newInstance();
		return listener.create(replyTo, listenOn);
	}

	/**
	 * Creates the worker's listening bridge of one transport; implemented by a public
	 * class {@code io.bubus.bridge.<kind>.WorkerListener} with a public no-argument
	 * constructor.
	 */
	public interface Listener {

		/**
		 * The listening bridge, named {@code WorkerBridge}.
		 * @param replyTo where to reply (the second argument of the worker)
		 * @param listenOn where to listen (the third argument of the worker)
		 * @return the bridge, not yet listening
		 */
		EventBridge create(String replyTo, String listenOn);

	}

}
