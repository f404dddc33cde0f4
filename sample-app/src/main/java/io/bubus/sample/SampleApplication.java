package io.bubus.sample;

import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.HandlerOptions;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application that uses bubus through its starter: the checkout example of
 * the bubus docs as a REST endpoint, with an {@code audit} bus that receives every event,
 * observations and the {@code bubus} actuator endpoint.
 */
@SpringBootApplication
public class SampleApplication {

	/**
	 * Forwards every event of the application bus to the audit bus
	 * ({@code bubus.buses.audit} in {@code application.yml}).
	 * @param bus the application bus
	 * @param audit the audit bus
	 * @return the forwarding handler
	 */
	@Bean
	EventHandler forwardToAudit(EventBus bus, @Qualifier("audit") EventBus audit) {
		return bus.on("*", audit::emit, HandlerOptions.defaults().name("forward_to_audit"));
	}

	/**
	 * Starts the application.
	 * @param args command line arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
