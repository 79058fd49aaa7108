/**
 * What connectors share without depending on each other: {@link io.drover.connector.support.ChildProcess}
 * (a child process with a streamed stdout, a stderr tail for messages and a timeout that kills its
 * process tree), {@link io.drover.connector.support.SecretFile} (a 0600 file in a private 0700
 * directory for secrets child processes read), {@link io.drover.connector.support.StderrTail} and
 * {@link io.drover.connector.support.HumanDuration}.
 *
 * <p>Connectors may depend on core's {@code spi} and {@code model} packages and on this package;
 * this package depends on the JDK only (core's {@code spi}/{@code model} and slf4j at most).
 */
package io.drover.connector.support;
