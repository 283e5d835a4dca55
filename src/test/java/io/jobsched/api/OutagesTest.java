package io.jobsched.api;

import io.jobsched.service.ApiException;
import io.vertx.core.VertxException;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.impl.types.ErrorType;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are a backend outage (503, retry) and which are not (a bug or a bad request). */
class OutagesTest {
  private static PgException pg(String sqlState) {
    return new PgException("msg", "FATAL", sqlState, null);
  }

  @Test
  void connection_failures_of_every_client_are_outages_however_deeply_wrapped() {
    assertThat(Outages.isOutage(new ConnectException("Connection refused"))).isTrue();
    assertThat(Outages.isOutage(new CompletionException(new VertxException(new SocketException("Connection reset"))))).isTrue();
    assertThat(Outages.isOutage(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(Outages.isOutage(new NoStackTraceTimeoutException("Timeout 3000 (ms) fired"))).isTrue();
    assertThat(Outages.isOutage(new IllegalStateException("Pool closed"))).isTrue();
    assertThat(Outages.isOutage(ErrorType.create("CONNECTION_CLOSED"))).isTrue();
    assertThat(Outages.isOutage(ErrorType.create("LOADING Redis is loading the dataset in memory"))).isTrue();
  }

  @Test
  void postgres_server_states_08_and_57P_are_outages_statement_errors_are_not() {
    assertThat(Outages.isOutage(pg("08006"))).isTrue();
    assertThat(Outages.isOutage(pg("57P01"))).as("admin shutdown").isTrue();
    assertThat(Outages.isOutage(pg("57P03"))).as("cannot connect now").isTrue();
    assertThat(Outages.isOutage(pg("23505"))).as("unique violation").isFalse();
    assertThat(Outages.isOutage(pg("22008"))).as("datetime out of range").isFalse();
    assertThat(Outages.isOutage(pg("57014"))).as("query canceled").isFalse();
  }

  @Test
  void bugs_and_client_errors_are_not_outages_and_a_cyclic_cause_chain_ends() {
    assertThat(Outages.isOutage(new NullPointerException())).isFalse();
    assertThat(Outages.isOutage(new ApiException(400, "invalid_request", "bad"))).isFalse();
    assertThat(Outages.isOutage(ErrorType.create("WRONGTYPE Operation against a key holding the wrong kind of value"))).isFalse();
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(Outages.isOutage(a)).isFalse();
  }
}
