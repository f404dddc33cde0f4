@NullMarked
package io.bubus.spring.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
