package dev.dbops.starter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class run against the shared {@link DevStack}, and tagged for it: the fast tier ({@code
 * -Pfast}) leaves it out, as every class that needs an in-process dev server.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DevStack.class)
@Tag("devstack")
@interface DevStackTest {}
