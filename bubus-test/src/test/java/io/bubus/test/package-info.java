@NullMarked
package io.bubus.test;

import org.jspecify.annotations.NullMarked;
