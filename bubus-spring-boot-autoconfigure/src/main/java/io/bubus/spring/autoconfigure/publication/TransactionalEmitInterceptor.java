package io.bubus.spring.autoconfigure.publication;

import java.util.List;
import java.util.Map;

import io.bubus.BaseEvent;
import io.bubus.EmitInterceptor;
import io.bubus.EventHandler;
import io.bubus.PendingEmit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Holds an event emitted while a Spring-managed transaction is active: writes it and one
 * row per handler that will run it in that transaction, and hands it to the bus after
 * commit; on rollback it is never dispatched. Outside a transaction (and for
 * resubmissions) the emit goes on as usual. One instance per bus.
 */
final class TransactionalEmitInterceptor implements EmitInterceptor {

	private static final Logger log = LoggerFactory.getLogger(TransactionalEmitInterceptor.class);

	static final String HELD = "is held until the transaction that emitted it commits; call done() or "
			+ "eventResult() after the commit, or wait on completion()";

	private final String busName;

	private final PublicationDispatcher dispatcher;

	TransactionalEmitInterceptor(String busName, PublicationDispatcher dispatcher) {
		this.busName = busName;
		this.dispatcher = dispatcher;
	}

	@Override
	public void onEmit(PendingEmit emit) {
		if (PublicationDispatcher.isResubmitting() || !TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.isActualTransactionActive()) {
			return;
		}
		BaseEvent<?> event = emit.event();
		List<EventHandler> handlers = emit.bus().handlersFor(event.eventType());
		Map<String, String> handlerKeys = HandlerKeys.of(handlers);
		this.dispatcher.store()
			.insert(event.eventId(), this.busName, event.eventType(), event.getClass().getName(), event.toJson(),
					List.copyOf(handlerKeys.values()), this.dispatcher.now(), this.dispatcher.instanceId());
		emit.hold(HELD);
		TransactionSynchronizationManager.registerSynchronization(new AfterCommit(emit, handlerKeys));
	}

	private final class AfterCommit implements TransactionSynchronization {

		private final PendingEmit emit;

		private final Map<String, String> handlerKeys;

		AfterCommit(PendingEmit emit, Map<String, String> handlerKeys) {
			this.emit = emit;
			this.handlerKeys = handlerKeys;
		}

		@Override
		public void afterCommit() {
			TransactionalEmitInterceptor.this.dispatcher.dispatchCommitted(this.emit,
					TransactionalEmitInterceptor.this.busName, this.handlerKeys);
		}

		@Override
		public void afterCompletion(int status) {
			if (status == STATUS_COMMITTED) {
				return;
			}
			if (status == STATUS_UNKNOWN) {
				// it may have committed: the log resubmits it then, once the lease
				// expired
				this.emit.discard("the outcome of the transaction that emitted it is unknown; "
						+ "the publication log resubmits it if the transaction committed");
				return;
			}
			this.emit.discard("the transaction that emitted it rolled back");
			try {
				// the rows rolled back with the transaction unless they were written
				// outside it (a transaction manager of another DataSource)
				TransactionalEmitInterceptor.this.dispatcher.store().delete(this.emit.event().eventId());
			}
			catch (RuntimeException ex) {
				log.warn("Could not remove the publication of rolled-back event {}: {}", this.emit.event().eventId(),
						ex.getMessage());
			}
		}

	}

}
