/**
 * The bubus JSON wire format: the shared {@link io.bubus.json.BubusJson} mapper and JSON
 * Schema support for result types ({@link io.bubus.json.ResultSchemas}).
 */
@NullMarked
package io.bubus.json;

import org.jspecify.annotations.NullMarked;
