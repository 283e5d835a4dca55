package io.jobsched.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.Consumer;

/** One isolated {@link TestNode} per test class: {@code @RegisterExtension static NodeExtension node = ...}. */
public final class NodeExtension implements BeforeAllCallback, AfterAllCallback {
  private final String name;
  private final Consumer<JsonObject> tweak;
  private TestNode node;

  public NodeExtension(String name, Consumer<JsonObject> tweak) {
    this.name = name;
    this.tweak = tweak;
  }

  public NodeExtension(String name) {
    this(name, conf -> { });
  }

  public TestNode get() {
    return node;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    node = TestNode.start(name, tweak);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (node != null) {
      node.close();
    }
  }
}
