package io.jobsched.it;

import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/openapi.json} is a valid OpenAPI 3.1 document of exactly the routes the router serves; every
 * other integration test's exchanges are validated against it as they happen ({@link ContractCheck}).
 */
class OpenApiIT {
  @RegisterExtension
  static final NodeExtension NODE = new NodeExtension("openapi");

  @Test
  void the_document_is_served_and_is_valid_openapi_3_1() throws Exception {
    TestNode.Reply reply = NODE.get().get("/api/v1/openapi.json");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo(new JsonObject(Files.readString(ContractCheck.DOCUMENT)));
    OpenAPIContract contract = ContractCheck.contract();
    assertThat(contract.getVersion()).isEqualTo(OpenAPIVersion.V3_1);
  }

  @Test
  void the_document_and_the_router_name_the_same_operations() throws Exception {
    Set<String> routed = NODE.get().node().apiRoutes().stream()
        .map(r -> r.replaceAll(":([A-Za-z_]+)", "{$1}"))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> documented = ContractCheck.contract().operations().stream()
        .map(op -> op.getHttpMethod().name() + " " + op.getOpenAPIPath())
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).as("documented operations").containsExactlyElementsOf(routed);
  }
}
