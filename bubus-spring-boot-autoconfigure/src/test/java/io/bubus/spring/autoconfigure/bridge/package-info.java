@NullMarked
package io.bubus.spring.autoconfigure.bridge;

import org.jspecify.annotations.NullMarked;
