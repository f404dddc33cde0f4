/**
 * Bridges from {@code bubus.bridges.<name>.*}: one bridge bean per entry, connected to
 * its bus when the context starts and closed after the buses have stopped.
 */
@NullMarked
package io.bubus.spring.autoconfigure.bridge;

import org.jspecify.annotations.NullMarked;
