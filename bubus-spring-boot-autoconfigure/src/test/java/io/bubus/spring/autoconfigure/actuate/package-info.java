@NullMarked
package io.bubus.spring.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
