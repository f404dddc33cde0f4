package io.bubus.bridge;

import io.bubus.BaseEvent;

/** The reply the worker JVM sends for every {@link Ping}. */
public class Pong extends BaseEvent<Void> {

	public String label;

	public int count;

	public String receivedType;

	public Pong() {
	}

}
