package io.bubus.sample;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.RestClient;

/**
 * Base of the tests against the running sample over real HTTP: a client that returns
 * error responses instead of throwing, so tests can assert their status.
 */
abstract class SampleHttpTests {

	static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

	RestClient http;

	@BeforeEach
	void createClient() {
		this.http = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
	}

	/** The {@code _links} of the actuator's discovery page, {@code GET /actuator}. */
	@SuppressWarnings("unchecked")
	Map<String, Map<String, Object>> actuatorLinks() {
		return (Map<String, Map<String, Object>>) this.http.get().uri("/actuator").retrieve().body(JSON).get("_links");
	}

	/** The status of a {@code GET} of the path. */
	int status(String path) {
		return status(HttpMethod.GET, path);
	}

	/** The status of a request without a body to the URI template. */
	int status(HttpMethod method, String uri, Object... variables) {
		return this.http.method(method).uri(uri, variables).retrieve().toBodilessEntity().getStatusCode().value();
	}

}
