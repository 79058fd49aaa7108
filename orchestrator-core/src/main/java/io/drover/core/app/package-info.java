/** drover's use cases (init, backup, verify, restore, prune, catalog rebuild) over a loaded config; used by the CLI and the daemon. */
package io.drover.core.app;
