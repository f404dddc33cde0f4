package io.bubus.spring.autoconfigure.bridge;

import io.bubus.BaseEvent;

public class Pong extends BaseEvent<String> {

	public String text = "";

	public Pong() {
	}

	public Pong(String text) {
		this.text = text;
	}

}
