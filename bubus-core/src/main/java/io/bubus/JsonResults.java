package io.bubus;

/**
 * How {@link BaseEvent#toJson(JsonResults)} writes an event's result rows
 * ({@code event_results}). The three bubus readers disagree on that one field: bubus-ts
 * reads only an array, Python's {@code BaseEvent} only an object keyed by a number
 * string, Java reads both; every reader takes an event without it. See
 * {@code docs/json-format.md}.
 */
public enum JsonResults {

	/**
	 * An array of rows in creation order, omitted when there are none: what
	 * {@link BaseEvent#toJson()} writes. Java and bubus-ts read it; Python's
	 * {@code BaseEvent.model_validate} refuses it (Python's {@code EventBus.validate}
	 * snapshots read it).
	 */
	ARRAY,

	/**
	 * An object whose keys are the rows' positions ({@code "0"}, {@code "1"}, ...) in
	 * creation order, omitted when there are none: the form Python's
	 * {@code BaseEvent.model_validate} reads. Java reads it too; bubus-ts refuses it.
	 */
	OBJECT,

	/**
	 * No {@code event_results}: what the bridges send (a receiver resets the results
	 * anyway), read by every peer.
	 */
	NONE

}
