package io.jobsched.history;

import io.jobsched.run.Run;
import io.jobsched.run.RunStatus;
import io.jobsched.store.RunCursor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The cold files on a real (embedded) DuckDB: what is written reads back the same, by id and by job page. */
class ColdStoreTest {
  private static final YearMonth MONTH = YearMonth.of(2024, 3);

  private static Object[] row(int i, String namespace, String job, Instant at) {
    return new Object[] {new UUID(0x0000018e00007000L + i, 0x8000000000000000L + i), job, namespace, at, 1, "schedule",
        i % 3 == 0 ? "FAILED" : "SUCCESS", i % 3 == 0 ? "boom" : null, "w1", (long) i, "default", 0, at,
        at.minusSeconds(1), at.plusMillis(5), at.plusMillis(7), i % 3 == 0 ? 1 : 0, null,
        i % 2 == 0 ? "{\"previous_run_id\":\"x\"}" : null, null, new UUID(0, 0), "noop", null};
  }

  @Test
  void a_month_written_in_several_files_reads_back_by_id_and_by_job_page(@TempDir Path dir) throws Exception {
    List<Object[]> rows = new ArrayList<>();
    Instant t0 = Instant.parse("2024-03-01T00:00:00.123456Z");
    for (int i = 0; i < 2500; i++) {
      rows.add(row(i, i < 1200 ? "alpha" : "beta", "job-" + (i % 5), t0.plusSeconds(i)));
    }
    try (ColdStore store = new ColdStore(dir)) {
      List<ColdFile> files;
      RowChecksum exported;
      try (ColdWriter writer = new ColdWriter(store.dirOf(MONTH), 1000)) {
        writer.append(rows.subList(0, 1200));
        writer.append(rows.subList(1200, 2500));
        files = writer.finish();
        exported = writer.checksum();
      }
      assertThat(files).extracting(ColdFile::rows).containsExactly(1000L, 1000L, 500L);
      assertThat(files.get(0).firstNamespace()).isEqualTo("alpha");
      assertThat(files.get(2).lastNamespace()).isEqualTo("beta");
      assertThat(Files.list(store.dirOf(MONTH)).map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("part-0000.parquet", "part-0001.parquet", "part-0002.parquet");
      assertThat(store.checksum(MONTH, files).value()).isEqualTo(exported.value()).startsWith("2500:");

      Object[] wanted = rows.get(1234);
      Run run = ColdColumns.toRun(store.byId(MONTH, files, (UUID) wanted[0]).orElseThrow());
      assertThat(ColdColumns.canonical(store.byId(MONTH, files, (UUID) wanted[0]).orElseThrow()))
          .isEqualTo(ColdColumns.canonical(wanted));
      assertThat(run.scheduledFor()).isEqualTo(wanted[3]);
      assertThat(store.byId(MONTH, files, UUID.randomUUID())).isEmpty();

      Archived month = new Archived(MONTH, files, 2500, exported.value());
      List<Object[]> page1 = store.jobPage(List.of(month), "job-2", null, null, null, null, 100);
      assertThat(page1).hasSize(100);
      assertThat((Instant) page1.get(0)[3]).isEqualTo(t0.plusSeconds(2497));
      Run last = ColdColumns.toRun(page1.get(99));
      List<Object[]> page2 = store.jobPage(List.of(month), "job-2", null, null, null, RunCursor.after(last), 1000);
      assertThat(page2).hasSize(400);
      assertThat((Instant) page2.get(0)[3]).isEqualTo(last.scheduledFor().minusSeconds(5));
      assertThat(store.jobPage(List.of(month), "job-0", RunStatus.FAILED.name(), t0, t0.plusSeconds(100), null, 1000))
          .hasSize(7); // i = 0, 15, 30, ..., 90
    }
  }
}
