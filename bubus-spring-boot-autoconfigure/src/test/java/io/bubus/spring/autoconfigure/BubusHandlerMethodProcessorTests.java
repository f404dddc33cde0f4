package io.bubus.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.bubus.BaseEvent;
import io.bubus.BubusHandler;
import io.bubus.EventBus;
import io.bubus.EventHandler;
import io.bubus.EventHandlerTimeoutException;
import io.bubus.EventResult;
import io.bubus.ResultStatus;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.EnableTransactionManagement;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

class BubusHandlerMethodProcessorTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BubusAutoConfiguration.class));

	@Test
	void handlerMethodsOfBeansAreRegisteredOnThePrimaryBus() {
		this.contextRunner.withBean(Billing.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			assertThat(bus.handlers()).extracting(EventHandler::handlerName)
				.containsExactly("Billing.charge", "Billing.everything");
			OrderPlaced event = bus.emit(new OrderPlaced("o-1"));
			assertThat(event.eventResult()).isEqualTo("charged o-1");
			assertThat(context.getBean(Billing.class).seen).containsExactly("OrderPlaced");
		});
	}

	@Test
	void busAttributeSelectsABusesEntryByBeanName() {
		this.contextRunner.withBean(Auditor.class)
			.withPropertyValues("bubus.buses.audit.max-history-size=10")
			.run((context) -> {
				EventBus audit = context.getBean("audit", EventBus.class);
				assertThat(context.getBean(EventBus.class).handlers()).isEmpty();
				assertThat(audit.handlers()).extracting(EventHandler::handlerName).containsExactly("audited");
				assertThat(audit.emit(new OrderPlaced("o-2")).eventResult()).isEqualTo("audited o-2");
			});
	}

	@Test
	void unknownBusFailsStartupNamingTheMethodAndTheKnownBuses() {
		this.contextRunner.withBean(Auditor.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("Auditor.audit")
				.hasMessageContaining("'audit'")
				.hasMessageContaining("bubus.buses.audit"));
	}

	@Test
	void completionStageResultsAreAwaited() {
		this.contextRunner.withBean(AsyncShipping.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			assertThat(bus.emit(new OrderPlaced("o-3")).eventResult()).isEqualTo("shipped o-3");
		});
	}

	@Test
	void timeoutsAcceptPlaceholders() {
		this.contextRunner.withBean(SlowHandler.class).withPropertyValues("app.handler-timeout=50ms").run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			assertThat(bus.handlers().get(0).handlerTimeout()).isEqualTo(Duration.ofMillis(50));
			OrderPlaced event = bus.emit(new OrderPlaced("o-4"));
			event.done();
			EventResult<String> result = event.eventResults().values().iterator().next();
			assertThat(result.status()).isEqualTo(ResultStatus.ERROR);
			assertThat(result.error()).isInstanceOf(EventHandlerTimeoutException.class);
			context.getBean(SlowHandler.class).release.countDown();
		});
	}

	@Test
	void interfaceProxiedBeansAreCalledThroughTheProxy() {
		this.contextRunner.withUserConfiguration(InterfaceProxyConfiguration.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			assertThat(context.getBean("notifier")).isInstanceOf(java.lang.reflect.Proxy.class);
			assertThat(bus.emit(new OrderPlaced("o-5")).eventResult()).isEqualTo("notified o-5");
			assertThat(context.getBean(InterfaceProxyConfiguration.class).intercepted).hasValue(1);
		});
	}

	@Test
	void asyncBeansRunOnTheirExecutorAndTheirFutureIsTheResult() {
		this.contextRunner.withUserConfiguration(AsyncConfiguration.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			OrderPlaced event = bus.emit(new OrderPlaced("o-6"));
			assertThat(event.eventResult()).startsWith("packed o-6 on ").doesNotContain("bubus");
		});
	}

	@Test
	void transactionalBeansRunTheirHandlersInATransaction() {
		this.contextRunner.withUserConfiguration(TransactionalConfiguration.class).run((context) -> {
			EventBus bus = context.getBean(EventBus.class);
			RecordingTransactionManager transactions = context.getBean(RecordingTransactionManager.class);
			assertThat(AopUtils.isCglibProxy(context.getBean(Ledger.class))).isTrue();
			assertThat(bus.emit(new OrderPlaced("o-7")).eventResult()).isEqualTo("booked o-7 in a transaction");
			assertThat(transactions.commits).hasValue(1);
			OrderPlaced failing = bus.emit(new OrderPlaced("fail"));
			failing.done();
			assertThat(failing.eventResults().values()).singleElement()
				.satisfies((result) -> assertThat(result.error()).hasMessage("cannot book fail"));
			assertThat(transactions.rollbacks).hasValue(1);
		});
	}

	@Test
	void handlerWithoutEventClassOrTypeFailsStartup() {
		this.contextRunner.withBean(Untyped.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("Untyped.handle")
				.hasMessageContaining("eventType"));
	}

	@Test
	void stoppingWaitsForRunningAndQueuedEventsWithinTheShutdownPhaseTimeout() {
		Gate gate = new Gate();
		this.contextRunner.withBean(Gate.class, () -> gate)
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=10s")
			.run((context) -> {
				EventBus bus = context.getBean(EventBus.class);
				OrderPlaced running = bus.emit(new OrderPlaced("running"));
				OrderPlaced queued = bus.emit(new OrderPlaced("queued"));
				assertThat(gate.entered.await(5, TimeUnit.SECONDS)).isTrue();
				CountDownLatch stopped = new CountDownLatch(1);
				context.getBean(EventBusLifecycle.class).stop(stopped::countDown);
				assertThat(stopped.await(200, TimeUnit.MILLISECONDS)).as("still waiting for the handler").isFalse();
				assertThat(bus.isStopped()).isFalse();
				gate.release.countDown();
				assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
				assertThat(bus.isStopped()).isTrue();
				assertThat(running.eventResult()).isEqualTo("passed running");
				assertThat(queued.eventResult()).isEqualTo("passed queued");
			});
	}

	@Test
	void contextCloseStopsBusesThatDoNotFinishInTime() {
		Gate gate = new Gate();
		OrderPlaced[] emitted = new OrderPlaced[1];
		this.contextRunner.withBean(Gate.class, () -> gate)
			.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=300ms")
			.run((context) -> {
				emitted[0] = context.getBean(EventBus.class).emit(new OrderPlaced("stuck"));
				assertThat(gate.entered.await(5, TimeUnit.SECONDS)).isTrue();
			});
		emitted[0].done();
		EventResult<String> result = emitted[0].eventResults().values().iterator().next();
		assertThat(result.status()).isEqualTo(ResultStatus.ERROR);
		assertThat(result.error()).isInstanceOf(java.util.concurrent.CancellationException.class);
	}

	@Test
	void lifecycleIsPartOfTheContext() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(EventBusLifecycle.class);
			assertThat(context.getBean(EventBusLifecycle.class).isRunning()).isTrue();
			((ConfigurableApplicationContext) context).stop();
			assertThat(context.getBean(EventBus.class).isStopped()).isTrue();
		});
	}

	static class Billing {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@BubusHandler
		String charge(OrderPlaced event) {
			return "charged " + event.orderId;
		}

		@BubusHandler(eventType = "*")
		void everything(BaseEvent<?> event) {
			this.seen.add(event.eventType());
		}

	}

	static class Auditor {

		@BubusHandler(bus = "audit", name = "audited")
		String audit(OrderPlaced event) {
			return "audited " + event.orderId;
		}

	}

	static class AsyncShipping {

		@BubusHandler
		CompletionStage<String> ship(OrderPlaced event) {
			return CompletableFuture.supplyAsync(() -> "shipped " + event.orderId);
		}

	}

	static class SlowHandler {

		final CountDownLatch release = new CountDownLatch(1);

		@BubusHandler(timeout = "${app.handler-timeout}")
		String slow(OrderPlaced event) throws InterruptedException {
			this.release.await();
			return "never";
		}

	}

	static class Untyped {

		@BubusHandler
		void handle(BaseEvent<?> event) {
		}

	}

	static class Gate {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@BubusHandler
		String pass(OrderPlaced event) throws InterruptedException {
			this.entered.countDown();
			this.release.await();
			return "passed " + event.orderId;
		}

	}

	interface Notifier {

		String notify(OrderPlaced event);

	}

	static class EmailNotifier implements Notifier {

		@Override
		@BubusHandler
		public String notify(OrderPlaced event) {
			return "notified " + event.orderId;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InterfaceProxyConfiguration {

		final AtomicInteger intercepted = new AtomicInteger();

		@Bean
		EmailNotifier notifier() {
			return new EmailNotifier();
		}

		@Bean
		MethodInterceptor countingInterceptor() {
			return (invocation) -> {
				this.intercepted.incrementAndGet();
				return invocation.proceed();
			};
		}

		@Bean
		static BeanNameAutoProxyCreator jdkProxies() {
			BeanNameAutoProxyCreator creator = new BeanNameAutoProxyCreator();
			creator.setBeanNames("notifier");
			creator.setInterceptorNames("countingInterceptor");
			return creator;
		}

	}

	static class Packer {

		@Async
		@BubusHandler
		public CompletableFuture<String> pack(OrderPlaced event) {
			return CompletableFuture
				.completedFuture("packed " + event.orderId + " on " + Thread.currentThread().getName());
		}

	}

	static class Ledger {

		@Transactional
		@BubusHandler
		public String book(OrderPlaced event) {
			if (event.orderId.equals("fail")) {
				throw new IllegalStateException("cannot book " + event.orderId);
			}
			return "booked " + event.orderId
					+ (TransactionSynchronizationManager.isActualTransactionActive() ? " in a transaction" : "");
		}

	}

	/** A transaction manager without a resource that counts commits and rollbacks. */
	static class RecordingTransactionManager extends AbstractPlatformTransactionManager {

		final AtomicInteger commits = new AtomicInteger();

		final AtomicInteger rollbacks = new AtomicInteger();

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
			this.commits.incrementAndGet();
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
			this.rollbacks.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableTransactionManagement(proxyTargetClass = true)
	static class TransactionalConfiguration {

		@Bean
		RecordingTransactionManager transactionManager() {
			return new RecordingTransactionManager();
		}

		@Bean
		Ledger ledger() {
			return new Ledger();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

		@Bean
		Packer packer() {
			return new Packer();
		}

	}

}
