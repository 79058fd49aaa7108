/** Discovery of connector factories by type. */
package io.drover.core.connector;
