package io.bubus;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A copy of a handler's error for a log line, with its message (and its causes' and
 * suppressed errors' messages) passed through a mask: the original class name leads the
 * message, the frames are the original's. See {@link EventBus.Builder#logErrorMessages}.
 */
final class MaskedError extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/** Causes and suppressed errors copied at most this deep. */
	private static final int MAX_DEPTH = 16;

	private MaskedError(String message) {
		super(message);
	}

	static MaskedError of(Throwable error, UnaryOperator<String> mask) {
		return copy(error, mask, new IdentityHashMap<>(), 0);
	}

	private static MaskedError copy(Throwable error, UnaryOperator<String> mask, Map<Throwable, MaskedError> copies,
			int depth) {
		MaskedError existing = copies.get(error);
		if (existing != null) {
			return existing;
		}
		String message = error.getMessage();
		String type = error.getClass().getName();
		MaskedError masked = new MaskedError((message != null) ? type + ": " + apply(mask, message) : type);
		masked.setStackTrace(error.getStackTrace());
		copies.put(error, masked);
		if (depth < MAX_DEPTH) {
			Throwable cause = error.getCause();
			if (cause != null) {
				masked.initCause(copy(cause, mask, copies, depth + 1));
			}
			for (Throwable suppressed : error.getSuppressed()) {
				masked.addSuppressed(copy(suppressed, mask, copies, depth + 1));
			}
		}
		return masked;
	}

	private static String apply(UnaryOperator<String> mask, String message) {
		try {
			return String.valueOf(mask.apply(message));
		}
		catch (RuntimeException ex) {
			// never the message, and never an error out of a log line
			return "(message hidden: the mask failed with " + ex.getClass().getSimpleName() + ")";
		}
	}

	@Override
	public String toString() {
		return String.valueOf(getMessage());
	}

	@Override
	public synchronized Throwable fillInStackTrace() {
		// the frames are the original's (set after construction)
		return this;
	}

}
