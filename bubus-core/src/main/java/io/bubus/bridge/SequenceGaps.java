package io.bubus.bridge;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds messages an at-most-once transport lost, from the per-sender sequence numbers the
 * sending bridges put on their messages ({@code <sender id>:<n>}, counting from 1): a
 * number more than one past the last one seen from that sender means the ones between
 * were lost. The first message of a sender sets the start; a number at or below the last
 * one (a late or repeated message) is ignored. Losses after a sender's last received
 * message are found only when its next one arrives.
 * <p>
 * Remembers the last {@value #MAX_SENDERS} senders. Concurrency: called by one listener
 * thread at a time; the monitor (this) makes it safe for more.
 */
final class SequenceGaps {

	static final int MAX_SENDERS = 1024;

	private final Map<String, Long> last = new LinkedHashMap<>(16, 0.75f, true) {

		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
			return size() > MAX_SENDERS;
		}

	};

	/**
	 * Records a received sequence tag and returns how many messages of its sender were
	 * skipped since the last one (0 when none, or when the tag is not one).
	 */
	synchronized long received(String tag) {
		int colon = tag.lastIndexOf(':');
		if (colon <= 0) {
			return 0;
		}
		long number;
		try {
			number = Long.parseLong(tag, colon + 1, tag.length(), 10);
		}
		catch (NumberFormatException ex) {
			return 0;
		}
		String sender = tag.substring(0, colon);
		Long previous = this.last.get(sender);
		if (previous == null) {
			this.last.put(sender, number);
			return 0;
		}
		if (number <= previous) {
			return 0;
		}
		this.last.put(sender, number);
		return number - previous - 1;
	}

}
