/**
 * A sample Spring Boot application using bubus.
 */
@NullMarked
package io.bubus.sample;

import org.jspecify.annotations.NullMarked;
