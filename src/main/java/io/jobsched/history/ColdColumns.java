package io.jobsched.history;

import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.jobsched.run.Trigger;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.duckdb.DuckDBAppender;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The columns of a run as the cold tier stores them, in one place: how each is read from Postgres, appended to
 * DuckDB, read back from Parquet, and written in the canonical text both checksums are taken over. A row is an
 * {@code Object[]} in column order holding UUID, String, Instant (microseconds, as Postgres keeps them),
 * Integer or Long; JSON travels as its text.
 */
public final class ColdColumns {
  enum Kind {
    UUID("UUID"), TEXT("VARCHAR"), TIME("TIMESTAMPTZ"), INT("INTEGER"), BIGINT("BIGINT"), JSON("VARCHAR");

    final String duckType;

    Kind(String duckType) {
      this.duckType = duckType;
    }
  }

  record Column(String name, Kind kind) {}

  static final List<Column> ALL = List.of(
      new Column("id", Kind.UUID), new Column("job_id", Kind.TEXT), new Column("namespace", Kind.TEXT),
      new Column("scheduled_for", Kind.TIME), new Column("attempt", Kind.INT), new Column("trigger", Kind.TEXT),
      new Column("status", Kind.TEXT), new Column("reason", Kind.TEXT), new Column("worker", Kind.TEXT),
      new Column("token", Kind.BIGINT), new Column("resource_class", Kind.TEXT), new Column("priority", Kind.INT),
      new Column("due_at", Kind.TIME), new Column("enqueued_at", Kind.TIME), new Column("started_at", Kind.TIME),
      new Column("finished_at", Kind.TIME), new Column("exit_code", Kind.INT), new Column("error", Kind.TEXT),
      new Column("context", Kind.JSON), new Column("cancel_requested_at", Kind.TIME),
      new Column("caused_by", Kind.UUID), new Column("task_kind", Kind.TEXT), new Column("fence", Kind.BIGINT));

  /** The column list for SELECTs on either side. */
  public static final String NAMES = ALL.stream().map(Column::name).collect(Collectors.joining(", "));

  private ColdColumns() {
  }

  static String duckTable(String name) {
    return "CREATE TABLE " + name + " (" + ALL.stream().map(c -> c.name() + " " + c.kind().duckType)
        .collect(Collectors.joining(", ")) + ")";
  }

  /** A row as Postgres returns it for {@link #NAMES}. */
  public static Object[] fromPostgres(Row r) {
    Object[] row = new Object[ALL.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = switch (ALL.get(i).kind()) {
        case UUID -> r.getUUID(i);
        case TEXT -> r.getString(i);
        case TIME -> r.getOffsetDateTime(i) == null ? null : r.getOffsetDateTime(i).toInstant();
        case INT -> r.getInteger(i);
        case BIGINT -> r.getLong(i);
        case JSON -> r.getValue(i) == null ? null : Json.encode(r.getValue(i));
      };
    }
    return row;
  }

  /** A row of the current result set (selected with {@link #NAMES}) of a cold file. */
  static Object[] fromDuck(ResultSet rs) throws SQLException {
    Object[] row = new Object[ALL.size()];
    for (int i = 0; i < row.length; i++) {
      int col = i + 1;
      row[i] = switch (ALL.get(i).kind()) {
        case UUID -> rs.getString(col) == null ? null : java.util.UUID.fromString(rs.getString(col));
        case TEXT, JSON -> rs.getString(col);
        case TIME -> rs.getObject(col) == null ? null : rs.getObject(col, OffsetDateTime.class).toInstant();
        case INT -> nullable(rs, rs.getInt(col));
        case BIGINT -> nullable(rs, rs.getLong(col));
      };
    }
    return row;
  }

  private static <T> T nullable(ResultSet rs, T value) throws SQLException {
    return rs.wasNull() ? null : value;
  }

  static void append(DuckDBAppender appender, Object[] row) throws SQLException {
    appender.beginRow();
    for (Object value : row) {
      if (value == null) {
        appender.appendNull();
      } else if (value instanceof UUID u) {
        appender.append(u);
      } else if (value instanceof String s) {
        appender.append(s);
      } else if (value instanceof Instant t) {
        appender.append(t.atOffset(ZoneOffset.UTC));
      } else if (value instanceof Integer n) {
        appender.append(n.intValue());
      } else {
        appender.append(((Long) value).longValue());
      }
    }
    appender.endRow();
  }

  /** The text a row's checksum is taken over: every column, times as epoch microseconds. */
  public static String canonical(Object[] row) {
    StringJoiner out = new StringJoiner("\u001f");
    for (Object value : row) {
      out.add(value == null ? "\u0000" : value instanceof Instant t
          ? Long.toString(epochMicros(t)) : value.toString());
    }
    return out.toString();
  }

  public static Run toRun(Object[] row) {
    Instant cancelRequestedAt = (Instant) row[19];
    return new Run((UUID) row[0], (String) row[1], (String) row[2], (Instant) row[3], (Integer) row[4],
        Trigger.fromWire((String) row[5]), RunStatus.valueOf((String) row[6]), (String) row[7], (String) row[8],
        (Long) row[9], (String) row[10], (String) row[21], (Integer) row[11], (Instant) row[12], (Instant) row[13],
        (Instant) row[14], (Instant) row[15], (Integer) row[16], (String) row[17],
        row[18] == null ? null : new JsonObject((String) row[18]).getMap(), cancelRequestedAt != null);
  }

  /** An instant as DuckDB's {@code epoch_us} and the canonical text write it. */
  static long epochMicros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }
}
