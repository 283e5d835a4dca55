package io.jobsched.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test class (META-INF/services, junit-platform.properties): when the class is done, drops
 * the isolations it was handed (databases, indices, Redis keys; see {@link Isolations}). Registered globally, it
 * runs after the class's own {@code @AfterAll} methods and extensions, i.e. after its nodes closed. A class that
 * took no isolation (unit tests) touches no service. {@code IT_KEEP_ISOLATIONS=1} keeps them, to look into what
 * a failed test left ({@code scripts/services.sh prune-tests} drops them later).
 */
public final class IsolationCleanup implements AfterAllCallback {
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (context.getParent().flatMap(ExtensionContext::getParent).isEmpty()   // top-level classes only
        && !"1".equals(System.getenv("IT_KEEP_ISOLATIONS"))) {
      Isolations.dropAllIssued();
    }
  }
}
