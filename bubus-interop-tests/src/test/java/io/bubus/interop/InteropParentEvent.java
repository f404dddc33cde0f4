package io.bubus.interop;

import java.util.List;
import java.util.Map;

import io.bubus.BaseEvent;
import org.jspecify.annotations.Nullable;

/** The parent event of each case: a payload of every JSON kind. */
public class InteropParentEvent extends BaseEvent<String> {

	public String text = "";

	public long big;

	public double ratio;

	public double tiny;

	public boolean flag;

	public Map<String, Object> nested = Map.of();

	public List<Object> items = List.of();

	public @Nullable String nothing;

}
