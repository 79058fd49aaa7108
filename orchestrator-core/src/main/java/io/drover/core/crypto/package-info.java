/** age encryption of stored objects and key handling (jagged). */
package io.drover.core.crypto;
