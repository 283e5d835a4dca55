package io.jobsched.it;

import java.util.List;

/** A check over several ids that may throw (HTTP, Redis), for polling conditions in tests. */
final class Checks {
  interface Check {
    boolean test(String id) throws Exception;
  }

  private Checks() {
  }

  /** Whether the check holds for every id (stops at the first that does not). */
  static boolean all(List<String> ids, Check check) throws Exception {
    for (String id : ids) {
      if (!check.test(id)) {
        return false;
      }
    }
    return true;
  }
}
