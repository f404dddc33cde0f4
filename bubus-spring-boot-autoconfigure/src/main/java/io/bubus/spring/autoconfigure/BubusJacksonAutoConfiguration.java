package io.bubus.spring.autoconfigure;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that makes event payloads use the application's Jackson
 * {@link JsonMapper} (Spring Boot's, with the {@code spring.jackson.*} settings and every
 * Jackson module bean): a {@link BubusPayloadMapper} built from it, created before the
 * buses. Without a {@code JsonMapper} bean, or with
 * {@code bubus.json.use-application-mapper=false}, payloads use bubus's own mapper.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@AutoConfiguration(before = BubusAutoConfiguration.class,
		afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnBooleanProperty(name = "bubus.enabled", matchIfMissing = true)
public final class BubusJacksonAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(JsonMapper.class)
	@ConditionalOnBooleanProperty(name = "bubus.json.use-application-mapper", matchIfMissing = true)
	BubusPayloadMapper bubusPayloadMapper(JsonMapper jsonMapper) {
		return new BubusPayloadMapper(jsonMapper);
	}

}
