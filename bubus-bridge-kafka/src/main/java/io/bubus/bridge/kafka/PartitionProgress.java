package io.bubus.bridge.kafka;

import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;

/**
 * What a listening bridge has taken from one partition it is assigned, and how far it may
 * commit: the offset of the first record whose event is not settled, or past the last one
 * taken when all are. A record handed back for redelivery is never passed, so it is read
 * again by whoever owns the partition next.
 * <p>
 * Used only by the bridge's poll thread (settlements reach it through a queue); a new
 * assignment of the partition gets a new instance, so settlements for the records of an
 * earlier one are ignored.
 */
final class PartitionProgress {

	final TopicPartition partition;

	/** Offsets taken and not settled. */
	private final TreeSet<Long> running = new TreeSet<>();

	/** Offsets whose work did not finish: kept for the next owner. */
	private final TreeSet<Long> unfinished = new TreeSet<>();

	/** The offset after the last record taken (-1: none taken). */
	private long next = -1;

	/** The last offset committed (or being committed); -1: none. */
	private long committed = -1;

	PartitionProgress(TopicPartition partition) {
		this.partition = partition;
	}

	void taken(long offset) {
		this.running.add(offset);
		this.next = Math.max(this.next, offset + 1);
	}

	void settled(long offset, boolean done) {
		if (this.running.remove(offset) && !done) {
			this.unfinished.add(offset);
		}
	}

	/** Whether every record taken is settled. */
	boolean idle() {
		return this.running.isEmpty();
	}

	/** The offset to commit, or -1 when there is nothing new to commit. */
	long toCommit() {
		if (this.next < 0) {
			return -1;
		}
		long position = this.next;
		if (!this.running.isEmpty()) {
			position = Math.min(position, this.running.first());
		}
		if (!this.unfinished.isEmpty()) {
			position = Math.min(position, this.unfinished.first());
		}
		return (position > this.committed) ? position : -1;
	}

	void committing(long offset) {
		this.committed = Math.max(this.committed, offset);
	}

	/** A failed commit: the offset is committed again next time. */
	void commitFailed(long offset) {
		if (this.committed == offset) {
			this.committed = -1;
		}
	}

}
