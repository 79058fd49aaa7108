/** Verification of recovery points: quick, deep and restore levels. */
package io.drover.core.verify;
