/** drover's error model: one unchecked exception, stable codes grouped by area, typed exit codes. */
package io.drover.core.error;
