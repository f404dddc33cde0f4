package io.bubus.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata that the annotation processor generates from the Javadoc of
 * the properties classes (what IDEs use for completion and documentation).
 */
class ConfigurationMetadataTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyHasATypeAndADescription() throws IOException {
		List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata().get("properties");
		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("bubus.enabled", "bubus.name", "bubus.event-timeout", "bubus.buses", "bubus.bridges",
					"bubus.context-propagation.mdc-keys", "management.endpoint.bubus.show-values",
					"management.endpoint.bubus.roles", "management.endpoint.bubus.history-limit");
		assertThat(properties).filteredOn((property) -> ((String) property.get("name")).startsWith("bubus."))
			.allSatisfy((property) -> assertThat(property).containsKey("type")
				.extractingByKey("description")
				.asString()
				.isNotBlank());
		assertThat(properties)
			.filteredOn((property) -> property.get("name").equals("management.endpoint.bubus.show-values"))
			.singleElement()
			.satisfies((property) -> assertThat(property).containsEntry("defaultValue", "never"));
	}

	/**
	 * Every property is named in the starter's docs, by its full name or, under
	 * {@code bubus}, as a key of the documented YAML.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyIsNamedInTheDocs() throws IOException {
		String docs = Files.readString(Path.of("../docs/spring-boot.md"))
				+ Files.readString(Path.of("../docs/publications.md"));
		List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata().get("properties");
		assertThat(properties).extracting((property) -> (String) property.get("name"))
			.filteredOn((name) -> !docs.contains(name) && !(name.startsWith("bubus.")
					&& docs.contains(" " + name.substring(name.lastIndexOf('.') + 1) + ":")))
			.as("properties the docs do not name")
			.isEmpty();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> metadata() throws IOException {
		for (URL url : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			if (url.toString().contains("bubus-spring-boot-autoconfigure")) {
				try (InputStream in = url.openStream()) {
					return JsonMapper.builder().build().readValue(in, Map.class);
				}
			}
		}
		throw new IllegalStateException("no generated metadata of bubus-spring-boot-autoconfigure on the class path");
	}

}
