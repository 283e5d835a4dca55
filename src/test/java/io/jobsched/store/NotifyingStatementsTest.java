package io.jobsched.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs without notify rules keep the run path's statements as they were: the notifying variants are separate
 * statements, used only for a batch that owes notifications.
 */
class NotifyingStatementsTest {
  @Test
  void the_plain_result_statement_neither_mentions_notifications_nor_takes_their_parameter() {
    assertThat(RunResults.FINISH).doesNotContain("notifications").doesNotContain("$14").doesNotContain("notices");
    assertThat(RunResults.FINISH_NOTIFYING).contains("INSERT INTO notifications").contains("$14::text[]");
    assertThat(RunResults.FINISH_NOTIFYING.replace(", $14::text[]", "").replace(", i.notices", "")
        .replace(", notices)", ")")).as("the same statement plus the outbox insert")
        .startsWith(RunResults.FINISH.substring(0, RunResults.FINISH.indexOf(" SELECT d.id, d.token")));
  }

  @Test
  void the_notifying_run_insert_writes_the_outbox_from_the_rows_it_inserted_only() {
    assertThat(RunStore.INSERT_NOTIFYING).contains("INSERT INTO notifications").contains("FROM ins JOIN u ON u.id = ins.id")
        .contains("$16::text[]").endsWith("SELECT id FROM ins");
  }
}
