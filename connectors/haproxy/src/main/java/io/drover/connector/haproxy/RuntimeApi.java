package io.drover.connector.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * HAProxy's Runtime API on a UNIX socket, one command per connection (HAProxy answers and closes
 * the connection when not in prompt mode). Every command is bounded by the timeout.
 */
final class RuntimeApi {
    private static final int MAX_ANSWER = 4 << 20;

    private final Path socket;
    private final Duration timeout;

    RuntimeApi(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /**
     * Sends {@code command} and returns HAProxy's whole answer.
     *
     * @throws IOException when the socket cannot be reached or the answer does not come in time; the
     *                     message names the socket and the command
     */
    String execute(String command) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new IOException("cannot connect to " + socket + ": " + reason(e), e);
            }
            ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
            channel.configureBlocking(false);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(8192);
            try (Selector selector = Selector.open()) {
                SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        throw new IOException("no complete answer from " + socket + " to '" + command + "' within " + timeout.toMillis()
                                + " ms");
                    }
                    selector.select(left);
                    if (out.hasRemaining()) {
                        channel.write(out);
                        if (!out.hasRemaining()) {
                            key.interestOps(SelectionKey.OP_READ);
                        }
                        continue;
                    }
                    int n = channel.read(in);
                    if (n < 0) {
                        return answer.toString(StandardCharsets.UTF_8);
                    }
                    answer.write(in.array(), 0, in.position());
                    in.clear();
                    if (answer.size() > MAX_ANSWER) {
                        throw new IOException("answer from " + socket + " to '" + command + "' exceeds " + MAX_ANSWER + " bytes");
                    }
                }
            }
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
