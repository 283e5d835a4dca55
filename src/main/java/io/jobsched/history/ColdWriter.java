package io.jobsched.history;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one month's runs into Parquet files of at most {@code fileRows} rows (zstd), through an in-memory
 * DuckDB table per file. Rows must come sorted by namespace. Blocking, and confined to one thread from
 * construction to close: rows appended on one thread were lost when the file was written from another. Each file
 * is written under a temporary name and renamed once complete.
 */
final class ColdWriter implements AutoCloseable {
  private static final String TABLE = "cold_file";

  private final Path dir;
  private final int fileRows;
  private final DuckDBConnection duck;
  private final List<ColdFile> files = new ArrayList<>();
  private final RowChecksum total = new RowChecksum();
  private DuckDBAppender appender;
  private RowChecksum fileSum;
  private String firstNamespace;
  private String lastNamespace;

  /** Starts a month's export in {@code dir}, removing the files of an earlier, unfinished export of it. */
  ColdWriter(Path dir, int fileRows) throws IOException, SQLException {
    this.dir = dir;
    this.fileRows = fileRows;
    ColdStore.deleteTree(dir);
    Files.createDirectories(dir);
    this.duck = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = duck.createStatement()) {
      // a file's rows are held in native memory until written: bounded, spilling to the month's directory
      st.execute("SET memory_limit = '256MB'");
      st.execute("SET temp_directory = '" + ColdStore.quoted(dir.resolve(".spill")) + "'");
      st.execute("SET preserve_insertion_order = false");
    }
  }

  void append(List<Object[]> rows) throws SQLException, IOException {
    for (Object[] row : rows) {
      if (appender == null) {
        try (Statement st = duck.createStatement()) {
          st.execute(ColdColumns.duckTable(TABLE));
        }
        appender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, TABLE);
        fileSum = new RowChecksum();
        firstNamespace = (String) row[2];
      }
      ColdColumns.append(appender, row);
      String canonical = ColdColumns.canonical(row);
      fileSum.add(canonical);
      total.add(canonical);
      lastNamespace = (String) row[2];
      if (fileSum.rows() >= fileRows) {
        writeFile();
      }
    }
  }

  /** Writes what is left; resolves to the month's files. */
  List<ColdFile> finish() throws SQLException, IOException {
    if (appender != null) {
      writeFile();
    }
    return List.copyOf(files);
  }

  /** Count and checksum of every row appended, as read from the source. */
  RowChecksum checksum() {
    return total;
  }

  private void writeFile() throws SQLException, IOException {
    appender.close();
    appender = null;
    String name = String.format("part-%04d.parquet", files.size());
    Path tmp = dir.resolve(name + ".tmp");
    try (Statement st = duck.createStatement()) {
      st.execute("COPY (SELECT * FROM " + TABLE + " ORDER BY namespace, job_id, scheduled_for, attempt, id) TO '"
          + ColdStore.quoted(tmp) + "' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000)");
      st.execute("DROP TABLE " + TABLE);
    }
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    files.add(new ColdFile(name, fileSum.rows(), fileSum.value(), firstNamespace, lastNamespace));
  }

  @Override
  public void close() throws SQLException {
    duck.close();
  }
}
