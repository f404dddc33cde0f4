package io.bubus.spring.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.ExposableWebEndpoint;
import org.springframework.boot.actuate.endpoint.web.Link;
import org.springframework.boot.actuate.endpoint.web.WebEndpointHttpMethod;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.actuate.endpoint.web.WebOperation;
import org.springframework.boot.webmvc.actuate.endpoint.web.AbstractWebMvcEndpointHandlerMapping;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Corrects the {@code bubus} links of the actuator's discovery page ({@code GET
 * /actuator}, Spring MVC). An endpoint operation's path is made of selectors only, so
 * Spring Boot lists {@code /bubus/{bus}/tree} as {@code /bubus/{bus}/{part}}, as if
 * {@code tree} were a value to fill in, and {@code /bubus/{bus}/events/{eventId}} as
 * {@code /bubus/{bus}/{part}/{eventId}}. This advice replaces those links by the paths
 * the endpoint answers: {@code bubus-bus-tree}, {@code bubus-bus-tree-eventId},
 * {@code bubus-bus-events-eventId} and, with write access, {@code bubus-bus-history}.
 *
 * @author bubus-java
 * @since 0.1.0
 */
@ControllerAdvice
public class BubusEndpointLinks implements ResponseBodyAdvice<Object> {

	private static final EndpointId ID = EndpointId.of("bubus");

	private static final String LINKS = "_links";

	private static final String PREFIX = "bubus-bus-";

	private final ObjectProvider<WebEndpointsSupplier> endpoints;

	/**
	 * Creates the advice.
	 * @param endpoints the web endpoints, for the operations the {@code bubus} endpoint
	 * has
	 */
	public BubusEndpointLinks(ObjectProvider<WebEndpointsSupplier> endpoints) {
		this.endpoints = endpoints;
	}

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		// the links handler of Spring Boot's actuator handler mapping (a nested class)
		Class<?> enclosing = returnType.getContainingClass().getEnclosingClass();
		return enclosing != null && AbstractWebMvcEndpointHandlerMapping.class.isAssignableFrom(enclosing)
				&& returnType.getMethod() != null && "links".equals(returnType.getMethod().getName());
	}

	@Override
	public @Nullable Object beforeBodyWrite(@Nullable Object body, MethodParameter returnType,
			MediaType selectedContentType, Class<? extends HttpMessageConverter<?>> selectedConverterType,
			ServerHttpRequest request, ServerHttpResponse response) {
		if (!(body instanceof Map<?, ?> map) || !(map.get(LINKS) instanceof Map<?, ?> links)
				|| !(links.get(ID.toString()) instanceof Link root)) {
			return body;
		}
		Map<Object, Object> rewritten = new LinkedHashMap<>();
		boolean added = false;
		for (Map.Entry<?, ?> entry : links.entrySet()) {
			if (!isSelectorLink(entry.getKey(), entry.getValue())) {
				rewritten.put(entry.getKey(), entry.getValue());
				continue;
			}
			if (!added) {
				literalLinks(root.getHref()).forEach(rewritten::put);
				added = true;
			}
		}
		Map<Object, Object> result = new LinkedHashMap<>(map);
		result.put(LINKS, rewritten);
		return result;
	}

	/** A link Spring Boot made from a bubus operation with a literal word as selector. */
	private static boolean isSelectorLink(Object key, Object value) {
		return key instanceof String name && name.startsWith(PREFIX) && value instanceof Link link
				&& (link.getHref().contains("/{part}") || link.getHref().contains("/{events}"));
	}

	/** The links of the operations of the bubus endpoint, with their literal words. */
	private Map<String, Link> literalLinks(String root) {
		Map<String, Link> links = new LinkedHashMap<>();
		for (WebOperation operation : operations()) {
			String path = operation.getRequestPredicate().getPath();
			WebEndpointHttpMethod method = operation.getRequestPredicate().getHttpMethod();
			int segments = selectors(path);
			for (String word : words(method, segments)) {
				String suffix = (segments == 3) ? "/{eventId}" : "";
				String key = PREFIX + word + ((segments == 3) ? "-eventId" : "");
				links.putIfAbsent(key, new Link(root + "/{bus}/" + word + suffix));
			}
		}
		return links;
	}

	private static int selectors(String path) {
		int count = 0;
		for (String segment : path.split("/")) {
			if (segment.startsWith("{")) {
				count++;
			}
		}
		return count;
	}

	/**
	 * The words a selector stands for in {@link BubusEndpoint} and
	 * {@link BubusEndpointWebExtension}, by method and number of selectors.
	 */
	private static List<String> words(WebEndpointHttpMethod method, int segments) {
		if (segments == 2) {
			return switch (method) {
				case GET -> List.of("tree");
				case DELETE -> List.of("history");
				default -> List.of();
			};
		}
		if (segments == 3) {
			return switch (method) {
				case GET -> List.of("events", "tree");
				case POST -> List.of("events");
				default -> List.of();
			};
		}
		return List.of();
	}

	private List<WebOperation> operations() {
		List<WebOperation> operations = new ArrayList<>();
		WebEndpointsSupplier supplier = this.endpoints.getIfAvailable();
		if (supplier == null) {
			return operations;
		}
		for (ExposableWebEndpoint endpoint : supplier.getEndpoints()) {
			if (ID.equals(endpoint.getEndpointId())) {
				operations.addAll(endpoint.getOperations());
			}
		}
		return operations;
	}

}
