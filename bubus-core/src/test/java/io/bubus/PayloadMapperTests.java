package io.bubus;

import java.util.Map;

import io.bubus.json.BubusJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's mapper put in place of bubus's for payloads
 * ({@link BubusJson#usePayloadMapper}): payload fields follow it, the {@code event_*}
 * metadata does not, and closing the installation puts the previous mapper back.
 */
class PayloadMapperTests {

	public static class PmOrder extends BaseEvent<String> {

		public String orderId = "";

		public PmOrder() {
		}

		PmOrder(String orderId) {
			this.orderId = orderId;
		}

	}

	@Test
	void payloadFieldsFollowTheInstalledMapperAndTheEventFieldsDoNot() {
		PmOrder order = new PmOrder("o-1");
		Map<String, Object> before = read(order.toJson());
		JsonMapper camel = JsonMapper.builder()
			.propertyNamingStrategy(PropertyNamingStrategies.LOWER_CAMEL_CASE)
			.build();
		try (BubusJson.Installation installed = BubusJson.usePayloadMapper(camel)) {
			Map<String, Object> json = read(order.toJson());
			assertThat(json).containsEntry("orderId", "o-1").doesNotContainKey("order_id");
			json.remove("orderId");
			before.remove("order_id");
			assertThat(json).isEqualTo(before);
			assertThat(BaseEvent.fromJson(order.toJson(), PmOrder.class).orderId).isEqualTo("o-1");
		}
		assertThat(BubusJson.payloadMapper()).isSameAs(BubusJson.MAPPER);
		assertThat(read(order.toJson())).containsEntry("order_id", "o-1");
	}

	@Test
	void withoutANamingStrategyOfItsOwnTheMapperWritesSnakeCase() {
		try (BubusJson.Installation installed = BubusJson.usePayloadMapper(JsonMapper.builder().build())) {
			assertThat(read(new PmOrder("o-2").toJson())).containsEntry("order_id", "o-2");
		}
	}

	@Test
	void closingAnEarlierInstallationKeepsTheLaterOne() {
		JsonMapper camel = JsonMapper.builder()
			.propertyNamingStrategy(PropertyNamingStrategies.LOWER_CAMEL_CASE)
			.build();
		JsonMapper kebab = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE).build();
		BubusJson.Installation first = BubusJson.usePayloadMapper(camel);
		BubusJson.Installation second = BubusJson.usePayloadMapper(kebab);
		try {
			first.close();
			assertThat(read(new PmOrder("o-3").toJson())).containsKey("order-id");
		}
		finally {
			second.close();
		}
		assertThat(BubusJson.payloadMapper()).isSameAs(BubusJson.MAPPER);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> read(String json) {
		return BubusJson.MAPPER.readValue(json, Map.class);
	}

}
