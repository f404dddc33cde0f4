package io.bubus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.bubus.json.BubusJson;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the cross-runtime vectors (copied from the shared vector set into
 * {@code src/test/resources/vectors}) and compares bubus JSON the way the vector README
 * asks: every key of the vector survives with the same value, and a key the vector lacks
 * is {@code null} in Java's output.
 */
final class JsonVectors {

	private JsonVectors() {
	}

	static String read(String path) {
		try (InputStream in = JsonVectors.class.getClassLoader().getResourceAsStream("vectors/" + path)) {
			assertThat(in).as("vector %s", path).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static JsonNode tree(String json) {
		return BubusJson.MAPPER.readTree(json);
	}

	/** File names (without directory) in a vector directory, sorted. */
	static List<String> files(String directory, String suffix) {
		URL url = JsonVectors.class.getClassLoader().getResource("vectors/" + directory);
		assertThat(url).as("vector directory %s", directory).isNotNull();
		try (Stream<Path> paths = Files.list(Path.of(url.toURI()))) {
			return paths.map((path) -> path.getFileName().toString())
				.filter((name) -> name.endsWith(suffix))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Asserts that {@code actual} (Java's output) matches {@code expected} (the vector):
	 * same values for every key of the vector (numbers compared by value), {@code null}
	 * for every key only Java wrote.
	 */
	static void assertMatches(JsonNode expected, JsonNode actual, String where) {
		if (expected.isObject()) {
			assertThat(actual.isObject()).as("%s is an object in %s", where, actual).isTrue();
			for (Map.Entry<String, JsonNode> entry : expected.properties()) {
				JsonNode value = actual.get(entry.getKey());
				assertThat(value).as("%s.%s is missing from %s", where, entry.getKey(), actual).isNotNull();
				assertMatches(entry.getValue(), value, where + "." + entry.getKey());
			}
			for (Map.Entry<String, JsonNode> entry : actual.properties()) {
				if (!expected.has(entry.getKey())) {
					assertThat(entry.getValue().isNull())
						.as("%s.%s is not in the vector, so Java must write null, not %s", where, entry.getKey(),
								entry.getValue())
						.isTrue();
				}
			}
			return;
		}
		if (expected.isArray()) {
			assertThat(actual.isArray()).as("%s is an array in %s", where, actual).isTrue();
			assertThat(actual.size()).as("%s size", where).isEqualTo(expected.size());
			for (int i = 0; i < expected.size(); i++) {
				assertMatches(expected.get(i), actual.get(i), where + "[" + i + "]");
			}
			return;
		}
		if (expected.isNumber()) {
			assertThat(actual.isNumber()).as("%s is a number, got %s", where, actual).isTrue();
			assertThat(actual.decimalValue()).as(where).isEqualByComparingTo(expected.decimalValue());
			return;
		}
		assertThat(actual).as(where).isEqualTo(expected);
	}

}
