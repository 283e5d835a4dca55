package io.jobsched.api;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;

import java.io.InterruptedIOException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * The one place that decides whether a failure means "a backend (Postgres, Redis, Elasticsearch) is down or
 * not answering" rather than "this request or this code is wrong". REST answers the first 503
 * {@code unavailable} with {@code Retry-After}, the event bus fails it with code 503; a client can retry.
 * The whole cause chain is walked, because clients wrap (CompletionException, VertxException, ...).
 */
public final class Outages {
  /** What {@code Retry-After} says: long enough for a restart or a fail-over, short enough to notice recovery. */
  public static final int RETRY_AFTER_SECONDS = 5;

  /**
   * Postgres SQLSTATEs that mean the server, not the statement: class 08 (connection exception), 57P
   * (admin/crash shutdown, cannot connect now), 53300 (too many connections).
   */
  private static final Set<String> PG_STATE_PREFIXES = Set.of("08", "57P", "53300");

  /** Redis error kinds that say the server cannot serve now; CONNECTION_CLOSED is the client's own. */
  private static final Set<String> REDIS_KINDS = Set.of("CONNECTION_CLOSED", "LOADING", "MASTERDOWN", "CLUSTERDOWN",
      "TRYAGAIN", "BUSY", "NOREPLICAS");

  /** Messages of client-side failures that have no type of their own (a pool or client shut, a dropped socket). */
  private static final Set<String> CLOSED_MESSAGES = Set.of("Pool closed", "Connection was closed", "Client is closed",
      "Connection closed", "Connection closed unexpectedly");

  private static final Set<Integer> GATEWAY_STATUSES = Set.of(502, 503, 504);

  private Outages() {
  }

  public static boolean isOutage(Throwable err) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = err; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (isOutageItself(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isOutageItself(Throwable t) {
    // refused, reset, broken pipe, no route (java.net.ConnectException and Netty's are SocketExceptions)
    if (t instanceof SocketException || t instanceof UnknownHostException || t instanceof ClosedChannelException) {
      return true;
    }
    // timeouts of every client: Future.timeout, pool waits, socket and connect timeouts
    if (t instanceof TimeoutException || t instanceof InterruptedIOException) {
      return true;
    }
    if (t instanceof ClosedConnectionException) {
      return true;
    }
    if (t instanceof DatabaseException db && db.getSqlState() != null) {
      String state = db.getSqlState();
      return PG_STATE_PREFIXES.stream().anyMatch(state::startsWith);
    }
    if (t instanceof Response r && r.type() == ResponseType.ERROR) {
      String msg = t.getMessage() == null ? "" : t.getMessage();
      int space = msg.indexOf(' ');
      return REDIS_KINDS.contains(space < 0 ? msg : msg.substring(0, space));
    }
    // Elasticsearch answering but not serving (no master, shards unavailable, a proxy in front timing out)
    if (t instanceof ElasticsearchException es) {
      return GATEWAY_STATUSES.contains(es.status());
    }
    if (t instanceof TransportException te && GATEWAY_STATUSES.contains(te.statusCode())) {
      return true;
    }
    // the low-level client's answer to a search whose shards are not started yet (a day's index just made)
    if (t instanceof org.elasticsearch.client.ResponseException re
        && GATEWAY_STATUSES.contains(re.getResponse().getStatusLine().getStatusCode())) {
      return true;
    }
    String simpleName = t.getClass().getSimpleName();
    // Apache HTTP (the Elasticsearch client) names its closed-connection failure without a shared supertype
    if (simpleName.equals("ConnectionClosedException") || simpleName.equals("NoHttpResponseException")) {
      return true;
    }
    return t.getMessage() != null && CLOSED_MESSAGES.contains(t.getMessage());
  }
}
