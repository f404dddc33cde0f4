package io.bubus.bridge;

import io.bubus.BaseEvent;

/** A typed event both JVMs of the bridge tests know. */
public class Ping extends BaseEvent<String> {

	public String label;

	public int count;

	public Ping() {
	}

	public Ping(String label, int count) {
		this.label = label;
		this.count = count;
	}

}
