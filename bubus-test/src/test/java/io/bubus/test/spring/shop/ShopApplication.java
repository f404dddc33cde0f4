package io.bubus.test.spring.shop;

import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.HandlerOptions;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A small application for the Spring tests of the kit: a checkout handler that emits a
 * charge and a receipt, each handled by another bean, and an {@code audit} bus that
 * receives every event and emits an {@code AuditedEvent} for each checkout.
 */
@SpringBootApplication
public class ShopApplication {

	@Bean
	EventHandler forwardToAudit(EventBus bus, @Qualifier("audit") EventBus audit) {
		return bus.on("*", audit::emit, HandlerOptions.defaults().name("forward_to_audit"));
	}

}
