@NullMarked
package io.bubus.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
