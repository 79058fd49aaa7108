package io.drover.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpFaultProxyTest {
    private ServerSocket echo;
    private TcpFaultProxy proxy;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (socket) {
                            socket.getInputStream().transferTo(socket.getOutputStream());
                        } catch (IOException ignored) {
                            // The proxy reset it.
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        proxy = new TcpFaultProxy(echo.getInetAddress().getHostAddress(), echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardsBothWaysAndPassesHalfClose() throws IOException {
        try (Socket socket = new Socket(proxy.host(), proxy.port())) {
            socket.getOutputStream().write("hello".getBytes());
            socket.shutdownOutput();
            assertThat(new String(socket.getInputStream().readAllBytes())).isEqualTo("hello");
        }
        assertThat(proxy.upstreamBytes()).isEqualTo(5);
        assertThat(proxy.resets()).isZero();
    }

    @Test
    void armedResetCutsTheConnectionAfterExactlyThatManyBytes() throws Exception {
        try (Socket socket = new Socket(proxy.host(), proxy.port())) {
            proxy.resetAfterUpstreamBytes(1000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(new byte[600]);
            new DataInputStream(in).readFully(new byte[600]);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    out.write(new byte[1000]);
                    out.flush();
                    Thread.sleep(10);
                }
                in.readAllBytes();
                throw new IOException("connection ended cleanly");
            }).isInstanceOf(IOException.class).hasMessageNotContaining("cleanly");
        }
        assertThat(proxy.upstreamBytes()).isEqualTo(1000);
        assertThat(proxy.resets()).isEqualTo(1);
        // Disarmed after firing: a new connection works.
        try (Socket again = new Socket(proxy.host(), proxy.port())) {
            again.getOutputStream().write(new byte[5000]);
            again.shutdownOutput();
            assertThat(again.getInputStream().readAllBytes()).hasSize(5000);
        }
    }

    @Test
    void refusedConnectionsCloseAtOnce() throws IOException {
        proxy.refuseConnections(true);
        try (Socket socket = new Socket(proxy.host(), proxy.port())) {
            socket.setSoTimeout(5000);
            assertThatThrownBy(() -> {
                int read = socket.getInputStream().read();
                if (read < 0) {
                    throw new IOException("closed");
                }
            }).isInstanceOf(IOException.class);
        }
        proxy.refuseConnections(false);
        try (Socket socket = new Socket(proxy.host(), proxy.port())) {
            socket.getOutputStream().write(1);
            socket.shutdownOutput();
            assertThat(socket.getInputStream().readAllBytes()).hasSize(1);
        }
    }
}
