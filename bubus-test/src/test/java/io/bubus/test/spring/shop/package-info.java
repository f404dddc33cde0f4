@NullMarked
package io.bubus.test.spring.shop;

import org.jspecify.annotations.NullMarked;
