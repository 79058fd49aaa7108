/** Retention: which recovery points a policy keeps and why, with the rules no policy can override. */
package io.drover.core.retention;
