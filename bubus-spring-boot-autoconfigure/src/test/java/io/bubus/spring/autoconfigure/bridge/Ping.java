package io.bubus.spring.autoconfigure.bridge;

import io.bubus.BaseEvent;

public class Ping extends BaseEvent<String> {

	public String text = "";

	public Ping() {
	}

	public Ping(String text) {
		this.text = text;
	}

}
