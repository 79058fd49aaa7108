package io.drover.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of a real server that breaks connections on demand, for tests of
 * what a connector does when the network fails: a connection reset in the middle of an upload, a
 * server that goes away, a server that refuses new connections.
 *
 * <p>Faults are armed, not random, so a test says exactly what happens: {@link #resetAfterUpstreamBytes}
 * resets every open connection (TCP RST, as a crashed middlebox or server would) once that many more
 * client-to-server bytes have passed, then disarms; {@link #refuseConnections} makes new connections
 * close at once; {@link #resetAll} breaks everything now.
 */
public final class TcpFaultProxy implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;

    private final InetSocketAddress upstream;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicLong upstreamBytes = new AtomicLong();
    /** Upstream byte count at which to reset every connection; {@code Long.MAX_VALUE} when disarmed. */
    private final AtomicLong resetAt = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean refusing;
    private volatile boolean closed;

    /** Starts a proxy on a free loopback port that forwards to {@code upstreamHost:upstreamPort}. */
    public TcpFaultProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstream = new InetSocketAddress(Objects.requireNonNull(upstreamHost, "upstreamHost"), upstreamPort);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("tcp-fault-proxy-" + listener.getLocalPort())
                .start(this::acceptLoop);
    }

    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Client-to-server bytes forwarded so far, over all connections. */
    public long upstreamBytes() {
        return upstreamBytes.get();
    }

    /** Connections accepted so far. */
    public int connections() {
        return accepted.get();
    }

    /** How many times armed resets fired or {@link #resetAll} was called with connections open. */
    public int resets() {
        return resets.get();
    }

    /** Resets every open connection once {@code bytes} more client-to-server bytes have passed; fires once. */
    public void resetAfterUpstreamBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must be >= 0: " + bytes);
        }
        resetAt.set(upstreamBytes.get() + bytes);
    }

    /** While {@code true}, new connections are accepted and closed at once (a server that is down). */
    public void refuseConnections(boolean refuse) {
        this.refusing = refuse;
        if (refuse) {
            resetAll();
        }
    }

    /** Resets every open connection now. */
    public void resetAll() {
        if (!links.isEmpty()) {
            resets.incrementAndGet();
        }
        for (Link link : links) {
            link.reset();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            accepted.incrementAndGet();
            if (refusing) {
                abortQuietly(client);
                continue;
            }
            try {
                Socket server = new Socket();
                server.connect(upstream, 10_000);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                abortQuietly(client);
            }
        }
    }

    private void maybeFire() {
        long at = resetAt.get();
        if (upstreamBytes.get() >= at && resetAt.compareAndSet(at, Long.MAX_VALUE)) {
            resets.incrementAndGet();
            for (Link link : links) {
                link.reset();
            }
        }
    }

    /** Closes with an RST instead of a FIN, as a reset connection looks to its peer. */
    private static void abortQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // Already closed.
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to do.
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            resetAll();
            acceptor.interrupt();
        }
    }

    /** One proxied connection: two pumps, one per direction. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private final AtomicInteger finished = new AtomicInteger();

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() {
            Thread.ofPlatform().daemon().name("tcp-fault-up-" + client.getPort()).start(() -> pump(client, server, true));
            Thread.ofPlatform().daemon().name("tcp-fault-down-" + client.getPort()).start(() -> pump(server, client, false));
        }

        private void pump(Socket from, Socket to, boolean counted) {
            byte[] buffer = new byte[BUFFER];
            try {
                // Not try-with-resources: closing one stream closes the socket, and the other
                // direction may still be talking after a half-close.
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (counted) {
                        long before = upstreamBytes.get();
                        long at = resetAt.get();
                        if (before + n >= at) {
                            // Forward only up to the armed point, so the reset lands mid-stream.
                            int allowed = (int) Math.max(0, at - before);
                            out.write(buffer, 0, allowed);
                            out.flush();
                            upstreamBytes.addAndGet(allowed);
                            maybeFire();
                            return;
                        }
                        upstreamBytes.addAndGet(n);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                // Orderly end from one side: pass the half-close on; the last one closes both.
                to.shutdownOutput();
                if (finished.incrementAndGet() == 2) {
                    links.remove(this);
                    client.close();
                    server.close();
                }
            } catch (IOException e) {
                reset();
            }
        }

        void reset() {
            links.remove(this);
            abortQuietly(client);
            abortQuietly(server);
        }
    }
}
