/**
 * bubus: a typed, in-process event bus with results, FIFO processing, queue-jumping child
 * events, causal trees, forwarding, timeouts, history and a JSON wire format shared with
 * the Python and TypeScript bubus. Start with {@link io.bubus.EventBus}.
 */
@NullMarked
package io.bubus;

import org.jspecify.annotations.NullMarked;
