package io.bubus.benchmarks;

/**
 * Profiles the measured part of a scenario with async-profiler when the system property
 * {@code asprof} names its agent library: {@code -Dasprof=/path/libasyncProfiler.so}
 * (from the {@code tools.profiler:async-profiler} jar on Maven Central, which must be on
 * the class path too). {@code -Dasprof.start=event=cpu,interval=1ms} and
 * {@code -Dasprof.stop=file=/tmp/profile.txt,flat=40} set the commands. Reflection keeps
 * the profiler an optional tool rather than a dependency of the benchmarks.
 */
final class Profiler {

	private static Object instance;

	private Profiler() {
	}

	static void start() {
		String library = System.getProperty("asprof");
		if (library == null) {
			return;
		}
		try {
			Class<?> type = Class.forName("one.profiler.AsyncProfiler");
			instance = type.getMethod("getInstance", String.class).invoke(null, library);
			execute("start," + System.getProperty("asprof.start", "event=cpu,interval=1ms"));
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("async-profiler could not start: " + ex, ex);
		}
	}

	static void stop() {
		if (instance != null) {
			execute("stop," + System.getProperty("asprof.stop", "file=/tmp/profile.txt,flat=40"));
		}
	}

	private static void execute(String command) {
		try {
			instance.getClass().getMethod("execute", String.class).invoke(instance, command);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException("async-profiler command failed: " + command + ": " + ex, ex);
		}
	}

}
