package io.bubus.retry;

/** One acquired place in a concurrency limit. */
interface Slot {

	/** Gives the place back; called exactly once. */
	void release();

}
