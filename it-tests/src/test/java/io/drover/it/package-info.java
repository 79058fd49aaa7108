/** End-to-end tests: the drover CLI run in-process against real files, real repositories and the real age, zstd, tar and diff tools. */
package io.drover.it;
