package io.bubus.spring.autoconfigure;

import io.bubus.json.BubusJson;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.DisposableBean;

/**
 * The mapper bubus uses for event payload fields and handler results in this application:
 * the application's {@link JsonMapper} with what the bubus wire format needs on top
 * ({@link BubusJson#payloadMapperFrom(JsonMapper)}: {@code snake_case} names unless
 * {@code spring.jackson.property-naming-strategy} says otherwise, unknown fields kept,
 * declaration order). It is installed as the payload mapper of the JVM
 * ({@link BubusJson#usePayloadMapper(JsonMapper)}) while the bean lives, before any bus
 * of the application is created, and uninstalled when the context closes. The
 * {@code event_*} metadata is written by bubus and keeps its wire form.
 * <p>
 * Declare a bean of this type to give bubus another mapper than the application's.
 *
 * @author bubus-java
 * @since 0.1.0
 */
public final class BubusPayloadMapper implements DisposableBean {

	private final JsonMapper mapper;

	private final BubusJson.Installation installation;

	/**
	 * Installs the payload form of a mapper.
	 * @param applicationMapper the mapper whose modules and settings payloads use
	 */
	public BubusPayloadMapper(JsonMapper applicationMapper) {
		this.installation = BubusJson.usePayloadMapper(applicationMapper);
		this.mapper = BubusJson.payloadMapper();
	}

	/**
	 * Returns the mapper bubus uses for payloads and results.
	 * @return the payload mapper
	 */
	public JsonMapper getMapper() {
		return this.mapper;
	}

	@Override
	public void destroy() {
		this.installation.close();
	}

}
