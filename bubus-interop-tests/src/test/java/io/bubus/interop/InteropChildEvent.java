package io.bubus.interop;

import io.bubus.BaseEvent;

/** The child the parent's handler emits and awaits. */
public class InteropChildEvent extends BaseEvent<String> {

	public String step = "";

	public int count;

}
