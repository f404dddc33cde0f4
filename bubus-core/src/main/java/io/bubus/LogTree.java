package io.bubus;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.bubus.internal.Ids;
import io.bubus.internal.Timestamps;
import io.bubus.json.BubusJson;
import org.jspecify.annotations.Nullable;

/**
 * Renders a bus's history as the bubus causal tree: each root event, its handler results
 * (with status icon, timing, value or error) and under each result the events that
 * handler emitted.
 *
 * <pre>
 * └── CheckoutEvent#b7c7 [10:10:54.522 (0.003s)]
 *     └── ✅ TreeBus#ef2a.Shop.onCheckout#7a12 [10:10:54.522 (0.002s)] → "ok"
 *         └── ReserveInventoryEvent#ca2f [10:10:54.522 (0.000s)]
 * </pre>
 */
final class LogTree {

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

	private LogTree() {
	}

	static String render(EventBus bus) {
		return render(bus, Integer.MAX_VALUE, null, false);
	}

	/**
	 * The tree of the last {@code lastRoots} root events of the bus's history, or of the
	 * one event {@code only} (with its descendants); {@code fullIds} labels events with
	 * their whole id instead of its last four characters.
	 */
	static String render(EventBus bus, int lastRoots, @Nullable BaseEvent<?> only, boolean fullIds) {
		List<BaseEvent<?>> history = bus.eventHistory();
		if (history.isEmpty()) {
			return "(No events in history)";
		}
		Set<String> ids = new HashSet<>();
		history.forEach((event) -> ids.add(event.eventId()));
		List<BaseEvent<?>> roots = (only != null) ? List.of(only)
				: history.stream()
					.filter((event) -> event.eventParentId() == null || event.eventParentId().equals(event.eventId())
							|| !ids.contains(event.eventParentId()))
					.sorted(Comparator.comparingLong(BaseEvent::createdAtNanos))
					.toList();
		if (roots.size() > lastRoots) {
			roots = roots.subList(roots.size() - Math.max(0, lastRoots), roots.size());
		}
		StringBuilder out = new StringBuilder();
		Set<String> printed = new HashSet<>();
		for (int i = 0; i < roots.size(); i++) {
			event(out, roots.get(i), "", i == roots.size() - 1, printed, history, fullIds);
		}
		return out.toString().stripTrailing();
	}

	private static void event(StringBuilder out, BaseEvent<?> event, String indent, boolean last, Set<String> printed,
			Collection<BaseEvent<?>> history, boolean fullIds) {
		if (!printed.add(event.eventId())) {
			return;
		}
		String label = fullIds ? event.eventType() + "#" + event.eventId() : event.label();
		out.append(indent).append(last ? "└── " : "├── ").append(label).append(" [");
		out.append(clock(event.createdAtNanos()));
		long completed = event.completedAtNanos();
		if (completed != Timestamps.NONE) {
			out.append(" (").append(seconds(completed - event.createdAtNanos())).append(')');
		}
		out.append("]\n");
		String childIndent = indent + (last ? "    " : "│   ");
		List<EventResult<?>> rows = event.resultRows();
		List<BaseEvent<?>> orphans = history.stream()
			.filter((candidate) -> event.eventId().equals(candidate.eventParentId())
					&& rows.stream().noneMatch((row) -> row.eventChildren().contains(candidate)))
			.toList();
		for (int i = 0; i < rows.size(); i++) {
			boolean lastRow = i == rows.size() - 1 && orphans.isEmpty();
			result(out, rows.get(i), childIndent, lastRow, printed, history, fullIds);
		}
		for (int i = 0; i < orphans.size(); i++) {
			event(out, orphans.get(i), childIndent, i == orphans.size() - 1, printed, history, fullIds);
		}
	}

	private static void result(StringBuilder out, EventResult<?> row, String indent, boolean last, Set<String> printed,
			Collection<BaseEvent<?>> history, boolean fullIds) {
		out.append(indent).append(last ? "└── " : "├── ").append(icon(row.status())).append(' ');
		out.append(row.eventbusLabel())
			.append('.')
			.append(row.handlerName())
			.append('#')
			.append(Ids.id4(row.handlerId()));
		long started = row.startedAtNanos();
		if (started != Timestamps.NONE) {
			out.append(" [").append(clock(started));
			long completed = row.completedAtNanos();
			if (completed != Timestamps.NONE) {
				out.append(" (").append(seconds(completed - started)).append(')');
			}
			out.append(']');
		}
		Throwable error = row.error();
		if (row.status() == ResultStatus.ERROR && error != null) {
			out.append(" ☠️ ").append(EventJson.errorType(error)).append(": ").append(error.getMessage());
		}
		else if (row.status() == ResultStatus.COMPLETED) {
			out.append(" → ").append(repr(row.rawResult()));
		}
		out.append('\n');
		List<BaseEvent<?>> children = row.eventChildren();
		String childIndent = indent + (last ? "    " : "│   ");
		for (int i = 0; i < children.size(); i++) {
			event(out, children.get(i), childIndent, i == children.size() - 1, printed, history, fullIds);
		}
	}

	static String repr(@Nullable Object value) {
		if (value == null) {
			return "None";
		}
		if (value instanceof BaseEvent<?> event) {
			return "Event(" + event.label() + ")";
		}
		if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
			return BubusJson.MAPPER.writeValueAsString(value);
		}
		if (value instanceof Collection<?> collection) {
			return "list(" + collection.size() + " items)";
		}
		if (value.getClass().isArray()) {
			return "list(" + java.lang.reflect.Array.getLength(value) + " items)";
		}
		if (value instanceof Map<?, ?> map) {
			return "dict(" + map.size() + " items)";
		}
		return value.getClass().getSimpleName() + "(...)";
	}

	private static String icon(ResultStatus status) {
		return switch (status) {
			case COMPLETED -> "✅";
			case ERROR -> "❌";
			case STARTED -> "🏃";
			case PENDING -> "⏳";
		};
	}

	private static String clock(long nanos) {
		return CLOCK.format(Timestamps.toInstant(nanos));
	}

	private static String seconds(long nanos) {
		return String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
	}

}
