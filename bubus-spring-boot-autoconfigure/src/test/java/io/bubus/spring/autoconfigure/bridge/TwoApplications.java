package io.bubus.spring.autoconfigure.bridge;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.bubus.EventBus;
import io.bubus.spring.autoconfigure.BubusAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two applications, each with its own context and bus, configured only with properties,
 * that talk over one bridge.
 */
final class TwoApplications {

	static final Duration WAIT = Duration.ofSeconds(15);

	private TwoApplications() {
	}

	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(
				AutoConfigurations.of(BubusAutoConfiguration.class, BubusBridgesAutoConfiguration.class));
	}

	/**
	 * Starts a "Shop" and a "Warehouse" application with the given bridge properties; the
	 * shop emits a Ping, the warehouse answers it with a Pong emitted from its handler,
	 * which must reach the shop. Both arrive typed and with the path of the buses they
	 * passed.
	 */
	static void pingPong(String[] shopProperties, String[] warehouseProperties) {
		runner().withPropertyValues("bubus.name=Shop").withPropertyValues(shopProperties).run((shop) -> {
			assertThat(shop).hasNotFailed();
			runner().withPropertyValues("bubus.name=Warehouse")
				.withPropertyValues(warehouseProperties)
				.run((warehouse) -> {
					assertThat(warehouse).hasNotFailed();
					EventBus shopBus = shop.getBean(EventBus.class);
					EventBus warehouseBus = warehouse.getBean(EventBus.class);
					BlockingQueue<Ping> pings = new LinkedBlockingQueue<>();
					BlockingQueue<Pong> pongs = new LinkedBlockingQueue<>();
					warehouseBus.on(Ping.class, (ping) -> {
						pings.add(ping);
						warehouseBus.emit(new Pong("reply to " + ping.text));
						return "seen " + ping.text;
					});
					shopBus.on(Pong.class, (pong) -> {
						pongs.add(pong);
						return null;
					});

					Ping sent = shopBus.emit(new Ping("order-1"));
					Ping received = pings.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
					assertThat(received).as("Ping arrived at the warehouse").isNotNull();
					assertThat(received.text).isEqualTo("order-1");
					assertThat(received.eventPath()).first().isEqualTo(shopBus.label());
					assertThat(received.eventPath()).last().isEqualTo(warehouseBus.label());
					assertThat(received.eventId()).isNotEqualTo(sent.eventId());

					Pong reply = pongs.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
					assertThat(reply).as("Pong came back to the shop").isNotNull();
					assertThat(reply.text).isEqualTo("reply to order-1");
					assertThat(reply.eventPath()).first().isEqualTo(warehouseBus.label());
					assertThat(reply.eventPath()).last().isEqualTo(shopBus.label());
				});
		});
	}

}
