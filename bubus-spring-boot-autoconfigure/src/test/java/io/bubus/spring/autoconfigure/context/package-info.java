@NullMarked
package io.bubus.spring.autoconfigure.context;

import org.jspecify.annotations.NullMarked;
