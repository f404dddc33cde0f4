@NullMarked
package io.bubus.spring.starter;

import org.jspecify.annotations.NullMarked;
