/** Value types shared by core and connectors: ids, sizes, secrets, verification levels. */
package io.drover.core.model;
