/** Restoring backups into directories, safely: nothing is written outside the target. */
package io.drover.core.restore;
