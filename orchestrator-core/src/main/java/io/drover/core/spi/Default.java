package io.drover.core.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a config record component takes when its key is absent, written as it would be in
 * YAML (e.g. {@code @Default("64MiB")}, {@code @Default("true")}, {@code @Default("[]")}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD})
public @interface Default {
    String value();
}
