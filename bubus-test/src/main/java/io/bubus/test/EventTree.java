package io.bubus.test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import io.bubus.BaseEvent;
import io.bubus.EventResult;
import io.bubus.ResultStatus;
import org.jspecify.annotations.Nullable;

/**
 * The causal tree of one event as text, in the glyphs of {@code EventBus.logTree()}: the
 * event, each handler's result row on every bus it visited, and under each row the events
 * that handler emitted. Built from the public API only, so it shows what a test can
 * observe. {@link #normalise} makes a tree comparable across runs.
 */
final class EventTree {

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

	private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final Pattern SHORT_ID = Pattern.compile("#[0-9a-f]{4}\\b");

	private static final Pattern CLOCK_TIME = Pattern.compile("\\b\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\b");

	private static final Pattern SECONDS = Pattern.compile("\\(\\d+\\.\\d{3}s\\)");

	private EventTree() {
	}

	/** The tree of one event. */
	static String render(BaseEvent<?> root) {
		return render(List.of(root));
	}

	/** The trees of several roots, each event printed once. */
	static String render(Collection<? extends BaseEvent<?>> roots) {
		if (roots.isEmpty()) {
			return "(no events)";
		}
		StringBuilder out = new StringBuilder();
		Set<String> printed = new HashSet<>();
		int i = 0;
		for (BaseEvent<?> root : roots) {
			event(out, root, "", ++i == roots.size(), printed);
		}
		return out.toString().stripTrailing();
	}

	/**
	 * The trees of a set of events: those whose parent is not in the set are the roots,
	 * in the order given.
	 */
	static String renderRoots(List<? extends BaseEvent<?>> events) {
		Set<String> ids = new HashSet<>();
		events.forEach((event) -> ids.add(event.eventId()));
		List<? extends BaseEvent<?>> roots = events.stream()
			.filter((event) -> event.eventParentId() == null || !ids.contains(event.eventParentId()))
			.toList();
		return render(roots);
	}

	/**
	 * The tree with what changes from run to run replaced: ids ({@code #ab12}, UUIDs),
	 * clock times and durations.
	 */
	static String normalise(String tree) {
		String text = UUID.matcher(tree).replaceAll("<id>");
		text = SHORT_ID.matcher(text).replaceAll("#····");
		text = CLOCK_TIME.matcher(text).replaceAll("hh:mm:ss.SSS");
		text = SECONDS.matcher(text).replaceAll("(s.SSSs)");
		return text.replace("\r\n", "\n").stripTrailing();
	}

	/** {@code Type#ab12}, as the bus labels events. */
	static String label(BaseEvent<?> event) {
		String id = event.eventId();
		return event.eventType() + "#" + ((id.length() <= 4) ? id : id.substring(id.length() - 4));
	}

	private static void event(StringBuilder out, BaseEvent<?> event, String indent, boolean last, Set<String> printed) {
		out.append(indent).append(last ? "└── " : "├── ").append(label(event));
		if (!printed.add(event.eventId())) {
			out.append(" (see above)\n");
			return;
		}
		out.append(" [").append(clock(event.eventCreatedAt()));
		Instant completed = event.eventCompletedAt();
		if (completed != null) {
			out.append(" (").append(seconds(event.eventCreatedAt(), completed)).append(')');
		}
		out.append("] ").append(event.eventStatus().name().toLowerCase(Locale.ROOT)).append('\n');
		String childIndent = indent + (last ? "    " : "│   ");
		List<? extends EventResult<?>> rows = List.copyOf(event.eventResults().values());
		for (int i = 0; i < rows.size(); i++) {
			result(out, rows.get(i), childIndent, i == rows.size() - 1, printed);
		}
	}

	private static void result(StringBuilder out, EventResult<?> row, String indent, boolean last,
			Set<String> printed) {
		out.append(indent).append(last ? "└── " : "├── ").append(icon(row.status())).append(' ');
		out.append(row.eventbusLabel()).append('.').append(row.handlerName());
		Instant started = row.startedAt();
		if (started != null) {
			out.append(" [").append(clock(started));
			Instant completed = row.completedAt();
			if (completed != null) {
				out.append(" (").append(seconds(started, completed)).append(')');
			}
			out.append(']');
		}
		Throwable error = row.error();
		if (row.status() == ResultStatus.ERROR && error != null) {
			out.append(" ☠️ ").append(error.getClass().getSimpleName()).append(": ").append(error.getMessage());
		}
		else if (row.status() == ResultStatus.COMPLETED) {
			out.append(" → ").append(repr(row.result()));
		}
		out.append('\n');
		List<BaseEvent<?>> children = row.eventChildren();
		String childIndent = indent + (last ? "    " : "│   ");
		for (int i = 0; i < children.size(); i++) {
			event(out, children.get(i), childIndent, i == children.size() - 1, printed);
		}
	}

	static String repr(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value instanceof BaseEvent<?> event) {
			return "Event(" + label(event) + ")";
		}
		if (value instanceof CharSequence text) {
			return "\"" + text + "\"";
		}
		return String.valueOf(value);
	}

	private static String icon(ResultStatus status) {
		return switch (status) {
			case COMPLETED -> "✅";
			case ERROR -> "❌";
			case STARTED -> "🏃";
			case PENDING -> "⏳";
		};
	}

	private static String clock(Instant instant) {
		return CLOCK.format(instant);
	}

	private static String seconds(Instant from, Instant to) {
		return String.format(Locale.ROOT, "%.3fs", Duration.between(from, to).toNanos() / 1e9);
	}

}
