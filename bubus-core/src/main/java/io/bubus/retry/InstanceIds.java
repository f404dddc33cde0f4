package io.bubus.retry;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Small stable ids for receiver objects ({@link SemaphoreScope#INSTANCE}): the same
 * object always gets the same id, different live objects different ids, and an object's
 * entry goes away once it is garbage.
 */
final class InstanceIds {

	private static final Map<IdentityKey, Long> IDS = new HashMap<>();

	private static final ReferenceQueue<Object> CLEARED = new ReferenceQueue<>();

	private static long next = 1;

	private InstanceIds() {
	}

	static synchronized long of(Object instance) {
		for (Object gone; (gone = CLEARED.poll()) != null;) {
			IDS.remove(gone);
		}
		IdentityKey key = new IdentityKey(instance, CLEARED);
		Long id = IDS.get(key);
		if (id == null) {
			id = next++;
			IDS.put(key, id);
		}
		return id;
	}

	/** Equal when both refer to the same live object (identity, not equals()). */
	private static final class IdentityKey extends WeakReference<Object> {

		private final int hash;

		IdentityKey(Object referent, ReferenceQueue<Object> queue) {
			super(referent, queue);
			this.hash = System.identityHashCode(referent);
		}

		@Override
		public boolean equals(@Nullable Object other) {
			if (this == other) {
				return true;
			}
			if (!(other instanceof IdentityKey key)) {
				return false;
			}
			Object referent = get();
			return referent != null && referent == key.get();
		}

		@Override
		public int hashCode() {
			return this.hash;
		}

	}

}
