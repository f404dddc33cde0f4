/**
 * Context propagation: registers thread-local accessors (MDC, Spring request attributes,
 * locale) with Micrometer's {@code ContextRegistry}, which bubus captures at emit and
 * restores around every handler.
 */
@NullMarked
package io.bubus.spring.autoconfigure.context;

import org.jspecify.annotations.NullMarked;
