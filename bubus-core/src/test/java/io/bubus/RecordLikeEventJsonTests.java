package io.bubus;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events whose payload is final fields set by a constructor (no setters, no no-arguments
 * constructor) read from JSON like any other event.
 */
class RecordLikeEventJsonTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	public static class ShippedEvent extends BaseEvent<String> {

		public final String orderId;

		public final long grams;

		public final @Nullable List<String> items;

		public ShippedEvent(String orderId, long grams, @Nullable List<String> items) {
			this.orderId = orderId;
			this.grams = grams;
			this.items = items;
		}

		public ShippedEvent(String orderId) {
			this(orderId, 0, null);
		}

	}

	public static class PricedEvent extends BaseEvent<Void> {

		public final String sku;

		public final int cents;

		@JsonCreator
		public PricedEvent(@JsonProperty("sku") String sku) {
			this.sku = sku;
			this.cents = -1;
		}

	}

	@Test
	void finalFieldsSetByTheAllFieldsConstructorAreReadFromJson() {
		ShippedEvent sent = new ShippedEvent("o-1", 1200, List.of("a", "b"));

		ShippedEvent back = BaseEvent.fromJson(sent.toJson(), ShippedEvent.class);

		assertThat(back.orderId).isEqualTo("o-1");
		assertThat(back.grams).isEqualTo(1200);
		assertThat(back.items).containsExactly("a", "b");
		assertThat(back.eventId()).isEqualTo(sent.eventId());
	}

	@Test
	void aRecordLikeEventReceivedAsDynamicIsReadIntoItsClassForATypedHandler() {
		try (EventBus bus = new EventBus("RecordLikeTypedBus")) {
			bus.on(ShippedEvent.class, (event) -> event.orderId + ":" + event.grams);
			BaseEvent<?> received = BaseEvent
				.fromJson("{\"event_type\":\"ShippedEvent\",\"order_id\":\"o-2\",\"grams\":5,\"items\":null}");

			ShippedEvent typed = received.as(ShippedEvent.class);
			bus.emit(typed).done(WAIT);

			assertThat(typed.eventResult()).isEqualTo("o-2:5");
		}
	}

	@Test
	void anExplicitJsonCreatorStillWins() {
		PricedEvent back = BaseEvent.fromJson("{\"event_type\":\"PricedEvent\",\"sku\":\"s-1\",\"cents\":99}",
				PricedEvent.class);

		assertThat(back.sku).isEqualTo("s-1");
		assertThat(back.cents).isEqualTo(-1);
	}

	@Test
	void aClassCompiledWithoutParameterNamesIsReadThroughItsConstructor(@TempDir Path dir) throws Exception {
		Path source = dir.resolve("src/demo/ParcelEvent.java");
		Files.createDirectories(source.getParent());
		Files.writeString(source, """
				package demo;

				public class ParcelEvent extends io.bubus.BaseEvent<Void> {
					public final String parcelId;
					public final int weightGrams;
					public final java.util.Map<String, Object> labels;

					public ParcelEvent(String parcelId, int weightGrams, java.util.Map<String, Object> labels) {
						this.parcelId = parcelId;
						this.weightGrams = weightGrams;
						this.labels = labels;
					}
				}
				""");
		Path classes = dir.resolve("classes");
		compileWithoutParameterNames(source, classes);

		try (URLClassLoader loader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
				getClass().getClassLoader())) {
			@SuppressWarnings("unchecked")
			Class<? extends BaseEvent<?>> type = (Class<? extends BaseEvent<?>>) loader.loadClass("demo.ParcelEvent");
			assertThat(type.getConstructors()[0].getParameters()[0].isNamePresent()).as("compiled without names")
				.isFalse();

			BaseEvent<?> back = BaseEvent.fromJson("{\"event_type\":\"ParcelEvent\",\"parcel_id\":\"p-9\","
					+ "\"weight_grams\":250,\"labels\":{\"fragile\":true,\"zone\":[1,2]}}", type);

			assertThat(type.getField("parcelId").get(back)).isEqualTo("p-9");
			assertThat(type.getField("weightGrams").get(back)).isEqualTo(250);
			assertThat(type.getField("labels").get(back)).hasToString("{fragile=true, zone=[1, 2]}");
			assertThat(back.toJson()).contains("\"parcel_id\":\"p-9\"", "\"weight_grams\":250");
		}
	}

	private static void compileWithoutParameterNames(Path source, Path classes) throws IOException, URISyntaxException {
		Files.createDirectories(classes);
		String classpath = String.join(java.io.File.pathSeparator, codeSource(BaseEvent.class),
				codeSource(Nullable.class), codeSource(tools.jackson.databind.JsonNode.class),
				codeSource(tools.jackson.core.TreeNode.class), codeSource(JsonProperty.class));
		JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
		int status = javac.run(null, null, System.err, "--release", "21", "-proc:none", "-classpath", classpath, "-d",
				classes.toString(), source.toString());
		assertThat(status).as("javac exit status").isZero();
	}

	private static String codeSource(Class<?> type) throws URISyntaxException {
		return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
	}

}
