package io.jobsched.service;

import io.jobsched.job.Job;
import io.jobsched.job.NotifyRule;
import io.jobsched.job.NotifyTarget;

import java.util.Set;

/**
 * Who is asking: a token's name, scope, the namespaces it may see ({@code null}: all) and the task kinds it
 * may create jobs of ({@code null}: every kind for admin, every kind but shell for write). Jobs and runs in
 * a namespace the caller may not see do not exist for it (404), so tokens cannot probe other tenants.
 * {@code actor} is who the audit trail (job versions' {@code changed_by}) records: the token's name, for an
 * unnamed token {@code "token sha256:<first 12 hex digits of the token's SHA-256>"} (never the secret),
 * {@code "anonymous"} with no tokens configured, {@code "eventbus"} for in-cluster producers.
 */
public record Caller(String name, Scope scope, Set<String> namespaces, Set<String> taskKinds, String actor) {
  public enum Scope {
    READ, WRITE, ADMIN;

    public boolean covers(Scope needed) {
      return ordinal() >= needed.ordinal();
    }
  }

  /** A shell task runs any command on the workers: a right of its own. */
  public static final String SHELL = "shell";

  /** In-cluster callers (event bus). */
  public static final Caller TRUSTED = new Caller("trusted", Scope.ADMIN, null, null, "eventbus");

  /** Every caller of a node without tokens configured (loopback only): all rights, no name to record. */
  public static final Caller ANONYMOUS = new Caller("trusted", Scope.ADMIN, null, null, "anonymous");

  /** A caller whose audit name is its name. */
  public Caller(String name, Scope scope, Set<String> namespaces, Set<String> taskKinds) {
    this(name, scope, namespaces, taskKinds, name);
  }

  public boolean sees(String namespace) {
    return namespaces == null || namespaces.contains(namespace);
  }

  /** Writing into a namespace the token is not for is refused outright (403), it is not a lookup. */
  public void mayWrite(String namespace) {
    if (!sees(namespace)) {
      throw new ApiException(403, "forbidden", "this token may not write to namespace " + namespace);
    }
  }

  public boolean mayUse(String taskKind) {
    return taskKinds != null ? taskKinds.contains(taskKind) : scope == Scope.ADMIN || !SHELL.equals(taskKind);
  }

  /**
   * Creating or replacing {@code job}: its namespace must be writable and its task kind allowed (403). A
   * notification is a request the cluster makes too: a webhook rule needs the {@code http} kind, an event-bus
   * rule the {@code eventbus} kind, so a token confined to other kinds cannot reach either through notify.
   */
  public void mayDefine(Job job) {
    mayWrite(job.namespace());
    String kind = job.task().type();
    if (!mayUse(kind)) {
      throw new ApiException(403, "forbidden_task_kind", "this token may not define jobs with a " + kind
          + " task" + (SHELL.equals(kind) ? " (needs the admin scope, or \"shell\" in the token's task_kinds)" : ""));
    }
    for (NotifyRule rule : job.notifyRules()) {
      String needed = rule.target() instanceof NotifyTarget.Webhook ? "http" : "eventbus";
      if (!mayUse(needed)) {
        throw new ApiException(403, "forbidden_task_kind", "this token may not define " + needed
            + " notifications (needs \"" + needed + "\" in the token's task_kinds)");
      }
    }
  }
}
