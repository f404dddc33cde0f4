package io.bubus.interop;

import io.bubus.BaseEvent;

/** An event handled by one handler that answers and one that fails. */
public class InteropResultEvent extends BaseEvent<Object> {

	public String question = "";

}
