package io.bubus.middleware.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations bubus records. Low-cardinality keys become metric tags and span
 * attributes; high-cardinality keys only span attributes.
 */
public enum BubusObservationDocumentation implements ObservationDocumentation {

	/**
	 * One event on one bus, from emit (or forward) on that bus until the event completes
	 * (its handlers on every bus and its children included).
	 */
	EVENT {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultEventObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeyNames.BUS, LowCardinalityKeyNames.EVENT_TYPE,
					LowCardinalityKeyNames.OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeyNames.BUS_LABEL, HighCardinalityKeyNames.EVENT_ID,
					HighCardinalityKeyNames.EVENT_PARENT_ID };
		}

	},

	/**
	 * One handler run: from the handler's start until its result is final. A handler
	 * cancelled before it started is recorded with outcome {@code cancelled}.
	 */
	HANDLER {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultHandlerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeyNames.BUS_LABEL, HighCardinalityKeyNames.EVENT_ID,
					HighCardinalityKeyNames.HANDLER_ID };
		}

	};

	/** Keys with a bounded set of values. */
	public enum LowCardinalityKeyNames implements KeyName {

		/** The bus name. */
		BUS {
			@Override
			public String asString() {
				return "bubus.bus";
			}
		},

		/** The event type ({@code OrderPlaced}). */
		EVENT_TYPE {
			@Override
			public String asString() {
				return "bubus.event.type";
			}
		},

		/** The handler name ({@code Billing.charge}); handler observations only. */
		HANDLER {
			@Override
			public String asString() {
				return "bubus.handler";
			}
		},

		/**
		 * {@code completed}, {@code error}, {@code timeout}, {@code aborted} or
		 * {@code cancelled}; absent while in flight.
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "bubus.outcome";
			}
		}

	}

	/** Keys with a value per event or handler: span attributes only. */
	public enum HighCardinalityKeyNames implements KeyName {

		/** The bus label ({@code Orders#1a2b}): name and the end of the bus id. */
		BUS_LABEL {
			@Override
			public String asString() {
				return "bubus.bus.label";
			}
		},

		/** The event id (UUIDv7). */
		EVENT_ID {
			@Override
			public String asString() {
				return "bubus.event.id";
			}
		},

		/** The parent event id, when the event was emitted by a handler. */
		EVENT_PARENT_ID {
			@Override
			public String asString() {
				return "bubus.event.parent_id";
			}
		},

		/** The handler id. */
		HANDLER_ID {
			@Override
			public String asString() {
				return "bubus.handler.id";
			}
		}

	}

}
