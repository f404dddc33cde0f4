package io.bubus;

import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Derives handler names ({@code Billing.charge} for a method reference,
 * {@code EventBus.emit} for a forwarder) and registration sites ({@code App.java:42}).
 */
final class HandlerNames {

	private static final Set<String> INTERNAL = Set.of(EventBus.class.getName(), HandlerScanner.class.getName(),
			HandlerNames.class.getName());

	private static final StackWalker WALKER = StackWalker.getInstance();

	private HandlerNames() {
	}

	/**
	 * Names depend only on the function's class: a lambda class has one target method.
	 */
	private static final ClassValue<AtomicReference<@Nullable String>> NAMES = new ClassValue<>() {
		@Override
		protected AtomicReference<@Nullable String> computeValue(Class<?> type) {
			return new AtomicReference<>();
		}
	};

	static String nameOf(Object function) {
		AtomicReference<@Nullable String> cached = NAMES.get(function.getClass());
		String name = cached.get();
		if (name == null) {
			name = deriveName(function);
			cached.set(name);
		}
		return name;
	}

	private static String deriveName(Object function) {
		SerializedLambda lambda = serializedLambda(function);
		if (lambda == null) {
			String simple = function.getClass().getSimpleName();
			return simple.isEmpty() ? "anonymous" : simple + ".handle";
		}
		String implClass = lambda.getImplClass().replace('/', '.');
		String simple = implClass.substring(implClass.lastIndexOf('.') + 1);
		simple = simple.substring(simple.lastIndexOf('$') + 1);
		String method = lambda.getImplMethodName();
		if (method.startsWith("lambda$")) {
			// javac names serializable lambdas lambda$<enclosing method>$<hash>$<n>
			String[] parts = method.split("\\$");
			method = (parts.length > 1) ? "lambda$" + parts[1] : "lambda";
		}
		return simple + "." + method;
	}

	private static @Nullable SerializedLambda serializedLambda(Object function) {
		try {
			Method writeReplace = function.getClass().getDeclaredMethod("writeReplace");
			writeReplace.setAccessible(true);
			Object replacement = writeReplace.invoke(function);
			return (replacement instanceof SerializedLambda lambda) ? lambda : null;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	/**
	 * Registration sites of lambda and method-reference classes. Such a class belongs to
	 * one expression in the source, so the first registration's site stands for all: a
	 * stack walk costs microseconds, far more than the rest of {@code on()}.
	 */
	private static final ClassValue<AtomicReference<@Nullable String>> SITES = new ClassValue<>() {
		@Override
		protected AtomicReference<@Nullable String> computeValue(Class<?> type) {
			return new AtomicReference<>();
		}
	};

	/** Where the function is registered from ({@code App.java:42}). */
	static @Nullable String callSite(Object function) {
		Class<?> type = function.getClass();
		if (!type.isHidden()) {
			return callSite();
		}
		AtomicReference<@Nullable String> cached = SITES.get(type);
		String site = cached.get();
		if (site == null) {
			site = callSite();
			cached.set(site);
		}
		return site;
	}

	static @Nullable String callSite() {
		return WALKER.walk((frames) -> frames.filter((frame) -> !INTERNAL.contains(frame.getClassName()))
			.findFirst()
			.map((frame) -> ((frame.getFileName() != null) ? frame.getFileName() : frame.getClassName()) + ":"
					+ frame.getLineNumber())
			.orElse(null));
	}

}
