package org.dsrflow.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between dsrflow and one server, so that a test can take the server away and give it
 * back. {@link #cut()} resets every open connection and stops listening (a new connection is
 * refused), which is what a client sees when the server dies or the network to it fails;
 * {@link #restore()} listens again on the same port.
 */
public final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;
    private volatile boolean up;

    /** Listens on a free port of its own and relays to localhost:targetPort. */
    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        ServerSocket first = bind(0);
        this.port = first.getLocalPort();
        listen(first);
    }

    public int port() {
        return port;
    }

    public boolean up() {
        return up;
    }

    /** Takes the server away: open connections are reset, new ones refused. */
    public synchronized void cut() throws IOException {
        up = false;
        listener.close();
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0); // a reset, not a polite close
                s.close();
            } catch (IOException e) {
                // already gone
            }
        }
        open.clear();
    }

    /** Gives the server back on the same port. */
    public synchronized void restore() throws IOException {
        if (!up) {
            listen(bind(port));
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        up = true;
        Thread accept = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    if (!up) {
                        client.close();
                        continue;
                    }
                    relay(client);
                } catch (IOException e) {
                    return; // closed by cut()
                }
            }
        }, "tcp-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    private void relay(Socket client) {
        Socket server;
        try {
            server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException e) {
            close(client);
            return;
        }
        synchronized (this) {
            // a connection accepted just before cut() must not outlive it
            if (!up) {
                close(client);
                close(server);
                return;
            }
            open.add(client);
            open.add(server);
        }
        pump(client, server);
        pump(server, client);
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away: the other is closed below
            } finally {
                close(from);
                close(to);
            }
        }, "tcp-proxy-" + port + "-pump");
        t.setDaemon(true);
        t.start();
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
