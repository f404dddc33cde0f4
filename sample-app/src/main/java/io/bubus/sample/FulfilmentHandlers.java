package io.bubus.sample;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.bubus.BubusHandler;
import io.bubus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The steps of a checkout: inventory, payment (with a fraud check as grandchild event)
 * and a receipt that takes a while and is asynchronous.
 */
@Component
public class FulfilmentHandlers {

	private static final Logger log = LoggerFactory.getLogger(FulfilmentHandlers.class);

	private final EventBus bus;

	private final Duration receiptDelay;

	FulfilmentHandlers(EventBus bus, @Value("${sample.receipt-delay:250ms}") Duration receiptDelay) {
		this.bus = bus;
		this.receiptDelay = receiptDelay;
	}

	/**
	 * Reserves stock.
	 * @param event the reservation request
	 * @return the reservation id
	 */
	@BubusHandler
	public String reserve(ReserveInventoryEvent event) {
		log.info("reserving inventory for {}", event.orderId);
		return "reserve:" + event.orderId;
	}

	/**
	 * Charges the card after a fraud check.
	 * @param event the charge request
	 * @return the charge id with the fraud verdict
	 */
	@BubusHandler
	public String charge(ChargeCardEvent event) {
		FraudCheckEvent fraud = this.bus.emit(new FraudCheckEvent(event.orderId));
		fraud.done();
		log.info("charging card for {}", event.orderId);
		return "charge:" + event.orderId + ":" + fraud.eventResult();
	}

	/**
	 * Screens the charge.
	 * @param event the fraud check
	 * @return the verdict
	 */
	@BubusHandler
	public String checkFraud(FraudCheckEvent event) {
		return "fraud-ok:" + event.orderId;
	}

	/**
	 * Sends the receipt from another thread after {@code sample.receipt-delay} (250ms);
	 * slower than its {@code slowTimeout}, so the bus logs a slow-handler warning.
	 * @param event the receipt request
	 * @return the receipt id, later
	 */
	@BubusHandler(slowTimeout = "${sample.receipt-slow-warning:100ms}")
	public CompletionStage<String> sendReceipt(SendReceiptEvent event) {
		log.info("sending receipt for {}", event.orderId);
		// Stands in for a mail server round trip.
		return CompletableFuture.supplyAsync(() -> "receipt:" + event.orderId,
				CompletableFuture.delayedExecutor(this.receiptDelay.toMillis(), TimeUnit.MILLISECONDS));
	}

}
