package io.bubus.spring.autoconfigure.publication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.bubus.EventBus;
import io.bubus.HandlerOptions;
import io.bubus.spring.autoconfigure.publication.PublicationDatabaseTests.OrderPlaced;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application the multi-process tests start as child JVMs. Arguments: mode, work
 * directory, then Spring properties ({@code --spring.datasource.url=...}). It reports
 * through files in the work directory ({@code runs.log} gets one line per handler run,
 * appended; marker files say how far it got), never through timing.
 * <ul>
 * <li>{@code crash}: emits three events in one transaction; the second handler blocks
 * forever on the first event (the test kills the JVM there).</li>
 * <li>{@code resume}: the handlers return at once; republish-on-restart finishes what the
 * crashed run left.</li>
 * <li>{@code worker}: one handler that returns at once; resubmits on the schedule.</li>
 * </ul>
 */
@SpringBootApplication
public class PublicationChildApp {

	private static final String INSTANCE_ID = "--bubus.publications.instance-id=";

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		Path dir = Path.of(args[1]);
		String[] properties = List.of(args).subList(2, args.length).toArray(String[]::new);
		System.setProperty("child.mode", mode);
		System.setProperty("child.dir", dir.toString());
		for (String property : properties) {
			if (property.startsWith(INSTANCE_ID)) {
				System.setProperty("child.instance", property.substring(INSTANCE_ID.length()));
			}
		}
		ConfigurableApplicationContext context = new SpringApplication(PublicationChildApp.class).run(properties);
		EventBus bus = context.getBean(EventBus.class);
		if (mode.equals("crash")) {
			List<String> ids = new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
				.execute((status) -> {
					List<String> emitted = new ArrayList<>();
					for (int i = 1; i <= 3; i++) {
						emitted.add(bus.emit(new OrderPlaced("o-" + i)).eventId());
					}
					return emitted;
				});
			Files.write(dir.resolve("committed.tmp"), ids, StandardCharsets.UTF_8);
			Files.move(dir.resolve("committed.tmp"), dir.resolve("committed"));
		}
		touch(dir, readyMarker(mode, properties));
		new CountDownLatch(1).await();
	}

	/**
	 * The file a child writes once its context started: {@code <mode>-ready}, or
	 * {@code <mode>-<instance-id>-ready} when the properties give an instance id (two
	 * children of one mode share the work directory).
	 */
	static String readyMarker(String mode, String... properties) {
		for (String property : properties) {
			if (property.startsWith(INSTANCE_ID)) {
				return mode + "-" + property.substring(INSTANCE_ID.length()) + "-ready";
			}
		}
		return mode + "-ready";
	}

	/**
	 * Registers the handlers while the context starts, as {@code @BubusHandler} beans
	 * would be: before the publication log resubmits anything.
	 */
	@Bean
	SmartInitializingSingleton childHandlers(EventBus bus) {
		String mode = System.getProperty("child.mode");
		Path dir = Path.of(System.getProperty("child.dir"));
		String instance = System.getProperty("child.instance", "?");
		CountDownLatch never = new CountDownLatch(1);
		return () -> {
			if (mode.equals("worker")) {
				bus.on(OrderPlaced.class, (event) -> append(dir, "worker " + event.eventId() + " " + instance),
						HandlerOptions.defaults().name("Worker.handle"));
				return;
			}
			bus.on(OrderPlaced.class, (event) -> append(dir, "fast " + event.eventId()),
					HandlerOptions.defaults().name("Fast.record"));
			bus.on(OrderPlaced.class, (event) -> {
				if (mode.equals("crash") && event.orderId.equals("o-1")) {
					append(dir, "slow-started " + event.eventId());
					touch(dir, "slow-started");
					never.await();
				}
				return append(dir, "slow " + event.eventId());
			}, HandlerOptions.defaults().name("Slow.record"));
		};
	}

	static synchronized String append(Path dir, String line) {
		try {
			Files.writeString(dir.resolve("runs.log"), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND, StandardOpenOption.SYNC);
			return line;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static void touch(Path dir, String name) {
		try {
			Files.writeString(dir.resolve(name), "", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
