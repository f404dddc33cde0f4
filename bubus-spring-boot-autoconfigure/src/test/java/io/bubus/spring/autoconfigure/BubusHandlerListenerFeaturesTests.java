package io.bubus.spring.autoconfigure;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.bubus.BaseEvent;
import io.bubus.BubusHandler;
import io.bubus.EventBus;
import io.bubus.EventResult;
import io.bubus.ResultFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AliasFor;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @BubusHandler} methods behave like Spring's {@code @EventListener}: ordered by
 * {@code @Order} / {@link Ordered}, filtered by a SpEL condition, one method for several
 * event classes, and usable as a meta-annotation.
 */
class BubusHandlerListenerFeaturesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusAutoConfiguration.class))
		.withBean(Calls.class);

	@Test
	void orderOnMethodsAndBeansOrdersTheHandlersOfOneEventType() {
		// registered in the opposite order of their @Order values
		this.contextRunner.withBean("late", LateHandlers.class)
			.withBean("ordered", OrderedBean.class)
			.withBean("early", EarlyHandlers.class)
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				Payment payment = bus.emit(new Payment(5));
				payment.done();
				assertThat(context.getBean(Calls.class).calls).containsExactly("early.first", "ordered.bean",
						"late.method", "late.unordered");
				assertThat(payment.eventResults().values()).extracting(EventResult::handlerName)
					.containsExactly("EarlyHandlers.first", "OrderedBean.handle", "LateHandlers.method",
							"LateHandlers.unordered");
			});
	}

	@Test
	void aSpelConditionFiltersEventsLikeEventListener() {
		this.contextRunner.withBean(Thresholds.class).withBean("limits", Limits.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			Payment small = bus.emit(new Payment(50));
			Payment large = bus.emit(new Payment(500));
			large.done();
			small.done();
			assertThat(context.getBean(Calls.class).calls).containsExactlyInAnyOrder("large:500", "beanLimit:500",
					"root:500");
			assertThat(small.eventResultsList(ResultFilter.defaults().raiseIfNone(false))).isEmpty();
			assertThat(large.eventResultsList()).containsExactlyInAnyOrder("large", "beanLimit", "root");
		});
	}

	@Test
	void anInvalidConditionFailsTheStartupNamingTheMethod() {
		this.contextRunner.withBean(BadCondition.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(BubusConfigurationException.class)
				.hasMessageContaining("BadCondition.handle")
				.hasMessageContaining("condition is not a valid SpEL expression"));
	}

	@Test
	void eventTypesRegistersOneMethodForSeveralClassesOfACommonSupertype() {
		this.contextRunner.withBean(Refunds.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			assertThat(bus.emit(new CardRefund(7)).eventResult()).isEqualTo("refund CardRefund 7");
			assertThat(bus.emit(new BankRefund(9)).eventResult()).isEqualTo("refund BankRefund 9");
			assertThat(bus.emit(new Payment(1)).eventResults()).as("not listed").isEmpty();
		});
	}

	@Test
	void eventTypesThatAreNotTheParameterTypeFailTheStartup() {
		this.contextRunner.withBean(WrongRefunds.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.isInstanceOf(BubusConfigurationException.class)
				.hasMessageContaining("WrongRefunds.handle")
				.hasMessageContaining("eventTypes lists Payment, which is not a Refund"));
	}

	@Test
	void aComposedAnnotationMetaAnnotatedWithBubusHandlerRegistersTheMethod() {
		this.contextRunner.withPropertyValues("bubus.buses.orders.max-history-size=10")
			.withBean(ComposedHandlers.class)
			.run((context) -> {
				EventBus orders = context.getBean("orders", EventBus.class);
				Payment payment = orders.emit(new Payment(3));
				assertThat(payment.eventResult()).isEqualTo("composed 3");
				assertThat(payment.eventResults().values()).extracting(EventResult::handlerName)
					.containsExactly("payments");
				assertThat(context.getBean(EventBus.class).handlers()).as("not on the primary bus").isEmpty();
			});
	}

	static class Calls {

		final List<String> calls = new CopyOnWriteArrayList<>();

	}

	public static class Payment extends BaseEvent<String> {

		public int amount;

		public Payment() {
		}

		Payment(int amount) {
			this.amount = amount;
		}

	}

	public abstract static class Refund extends BaseEvent<String> {

		public int amount;

	}

	public static class CardRefund extends Refund {

		public CardRefund() {
		}

		CardRefund(int amount) {
			this.amount = amount;
		}

	}

	public static class BankRefund extends Refund {

		public BankRefund() {
		}

		BankRefund(int amount) {
			this.amount = amount;
		}

	}

	static class LateHandlers {

		private final Calls calls;

		LateHandlers(Calls calls) {
			this.calls = calls;
		}

		@BubusHandler
		String unordered(Payment event) {
			this.calls.calls.add("late.unordered");
			return "unordered";
		}

		@BubusHandler
		@Order(10)
		String method(Payment event) {
			this.calls.calls.add("late.method");
			return "method";
		}

	}

	static class OrderedBean implements Ordered {

		private final Calls calls;

		OrderedBean(Calls calls) {
			this.calls = calls;
		}

		@Override
		public int getOrder() {
			return 0;
		}

		@BubusHandler
		String handle(Payment event) {
			this.calls.calls.add("ordered.bean");
			return "bean";
		}

	}

	@Order(-5)
	static class EarlyHandlers {

		private final Calls calls;

		EarlyHandlers(Calls calls) {
			this.calls = calls;
		}

		@BubusHandler
		String first(Payment event) {
			this.calls.calls.add("early.first");
			return "first";
		}

	}

	static class Limits {

		public int threshold() {
			return 400;
		}

	}

	static class Thresholds {

		private final Calls calls;

		Thresholds(Calls calls) {
			this.calls = calls;
		}

		@BubusHandler(condition = "#event.amount > 100")
		String large(Payment event) {
			this.calls.calls.add("large:" + event.amount);
			return "large";
		}

		@BubusHandler(condition = "#payment.amount > @limits.threshold()")
		String beanLimit(Payment payment) {
			this.calls.calls.add("beanLimit:" + payment.amount);
			return "beanLimit";
		}

		@BubusHandler(condition = "#root.event.amount >= 500")
		String root(Payment event) {
			this.calls.calls.add("root:" + event.amount);
			return "root";
		}

	}

	static class BadCondition {

		@BubusHandler(condition = "#event.amount >")
		String handle(Payment event) {
			return "never";
		}

	}

	static class Refunds {

		@BubusHandler(eventTypes = { CardRefund.class, BankRefund.class })
		String handle(Refund event) {
			return "refund " + event.getClass().getSimpleName() + " " + event.amount;
		}

	}

	static class WrongRefunds {

		@BubusHandler(eventTypes = { CardRefund.class, Payment.class })
		String handle(Refund event) {
			return "never";
		}

	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@BubusHandler(bus = "orders")
	@interface OrderHandler {

		@AliasFor(annotation = BubusHandler.class, attribute = "name")
		String value() default "";

	}

	static class ComposedHandlers {

		@OrderHandler("payments")
		String handle(Payment event) {
			return "composed " + event.amount;
		}

	}

}
