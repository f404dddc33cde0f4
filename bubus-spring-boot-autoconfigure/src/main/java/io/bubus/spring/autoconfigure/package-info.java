/**
 * Spring Boot auto-configuration for bubus.
 */
@NullMarked
package io.bubus.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
