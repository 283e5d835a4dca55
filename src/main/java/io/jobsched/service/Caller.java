package io.jobsched.service;

import java.util.Set;

/**
 * Who is asking: a token's scope and the namespaces it may see ({@code null}: all). Jobs and runs in a
 * namespace the caller may not see do not exist for it (404), so tokens cannot probe other tenants.
 */
public record Caller(Scope scope, Set<String> namespaces) {
  public enum Scope {
    READ, WRITE, ADMIN;

    public boolean covers(Scope needed) {
      return ordinal() >= needed.ordinal();
    }
  }

  /** In-cluster callers (event bus) and nodes without tokens configured. */
  public static final Caller TRUSTED = new Caller(Scope.ADMIN, null);

  public boolean sees(String namespace) {
    return namespaces == null || namespaces.contains(namespace);
  }

  /** Writing into a namespace the token is not for is refused outright (403), it is not a lookup. */
  public void mayWrite(String namespace) {
    if (!sees(namespace)) {
      throw new ApiException(403, "forbidden", "this token may not write to namespace " + namespace);
    }
  }
}
