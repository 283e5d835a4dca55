package io.jobsched.history;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One Parquet file of an archived month: its rows sorted by namespace, job, fire time, so a file covers one
 * namespace range and a job's runs sit in few row groups.
 */
public record ColdFile(String name, long rows, String checksum, String firstNamespace, String lastNamespace) {
  JsonObject toJson() {
    return new JsonObject().put("name", name).put("rows", rows).put("checksum", checksum)
        .put("first_namespace", firstNamespace).put("last_namespace", lastNamespace);
  }

  static ColdFile fromJson(JsonObject o) {
    return new ColdFile(o.getString("name"), o.getLong("rows"), o.getString("checksum"),
        o.getString("first_namespace"), o.getString("last_namespace"));
  }

  static JsonArray toJson(List<ColdFile> files) {
    JsonArray out = new JsonArray();
    files.forEach(f -> out.add(f.toJson()));
    return out;
  }

  static List<ColdFile> fromJson(JsonArray files) {
    return files.stream().map(o -> fromJson((JsonObject) o)).toList();
  }
}
