package io.jobsched.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.jobsched.it.TestNode.await;
import static org.awaitility.Awaitility.await;

/**
 * A TCP proxy in front of a real service (Postgres, Redis, Elasticsearch), so a test can take the service
 * away from one node without touching the service itself, which other tests share.
 * <ul>
 *   <li>{@link #cut()}: the service is down: live connections are closed and new ones refused (nothing
 *   listens on the port any more);</li>
 *   <li>{@link #hang()}: the service hangs: connections stay open and new ones are accepted, but no byte
 *   goes through in either direction;</li>
 *   <li>{@link #restore()}: the service is back: the port listens again and forwards; connections that
 *   lived through a hang are closed first (their byte streams lost bytes).</li>
 * </ul>
 */
public final class TcpProxy implements AutoCloseable {
  private enum State { FORWARD, REFUSE, HANG }

  private final Vertx vertx = Vertx.vertx();
  private final NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5_000));
  private final String targetHost;
  private final int targetPort;
  /** both ends of every proxied connection */
  private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
  private volatile State state = State.FORWARD;
  private volatile NetServer server;
  private int port;

  private TcpProxy(String targetHost, int targetPort) {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
  }

  /** A proxy on a free loopback port, forwarding to {@code host:port}. */
  public static TcpProxy to(String host, int port) throws Exception {
    TcpProxy proxy = new TcpProxy(host, port);
    proxy.listen(0);
    return proxy;
  }

  public int port() {
    return port;
  }

  public synchronized void cut() throws Exception {
    state = State.REFUSE;
    NetServer s = server;
    server = null;
    if (s != null) {
      await(s.close(), 10);
    }
    closeAll();
  }

  public synchronized void hang() {
    state = State.HANG;
  }

  public synchronized void restore() throws Exception {
    if (state == State.HANG) {
      closeAll();
    }
    state = State.FORWARD;
    if (server == null) {
      // the port was free a moment ago; retry briefly in case the kernel still holds it
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
        listen(port);
        return true;
      });
    }
  }

  private void listen(int wanted) throws Exception {
    NetServer s = vertx.createNetServer().connectHandler(this::accept);
    server = await(s.listen(wanted, "127.0.0.1"), 10);
    port = server.actualPort();
  }

  private void accept(NetSocket front) {
    if (state == State.REFUSE) {
      front.close();
      return;
    }
    sockets.add(front);
    front.closeHandler(v -> sockets.remove(front));
    front.pause();
    if (state == State.HANG) {
      return; // accepted, never answered
    }
    Future<NetSocket> connected = client.connect(targetPort, targetHost);
    connected.onFailure(err -> front.close()).onSuccess(back -> {
      if (!sockets.contains(front)) {
        back.close(); // the front closed while this connected
        return;
      }
      sockets.add(back);
      back.closeHandler(v -> {
        sockets.remove(back);
        front.close();
      });
      front.closeHandler(v -> {
        sockets.remove(front);
        back.close();
      });
      front.handler(buf -> {
        if (state == State.FORWARD) {
          back.write(buf);
        }
      });
      back.handler(buf -> {
        if (state == State.FORWARD) {
          front.write(buf);
        }
      });
      front.resume();
    });
  }

  private void closeAll() throws Exception {
    for (NetSocket s : Set.copyOf(sockets)) {
      s.close();
    }
    // a close asked from outside the socket's event loop is now and then not acted on; ask again until it is
    await().atMost(Duration.ofSeconds(10)).alias("proxied sockets closed").until(() -> {
      sockets.forEach(NetSocket::close);
      return sockets.isEmpty();
    });
  }

  @Override
  public void close() throws Exception {
    await(vertx.close(), 10);
  }
}
