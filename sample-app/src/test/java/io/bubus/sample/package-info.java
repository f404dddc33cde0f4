@NullMarked
package io.bubus.sample;

import org.jspecify.annotations.NullMarked;
