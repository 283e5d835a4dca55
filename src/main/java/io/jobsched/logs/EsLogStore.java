package io.jobsched.logs;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Log lines in Elasticsearch: one index per UTC day ({@code <prefix>-YYYY.MM.DD}), so retention drops
 * whole indices. Queries use term/range/match clauses only, never query_string, so user input is data.
 */
public final class EsLogStore implements AutoCloseable {
  private final Vertx vertx;
  private final RestClient rest;
  private final ElasticsearchAsyncClient es;
  private final String prefix;

  public EsLogStore(Vertx vertx, String url, String prefix) {
    this.vertx = vertx;
    this.rest = RestClient.builder(HttpHost.create(url)).build();
    this.es = new ElasticsearchAsyncClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
    this.prefix = prefix;
  }

  public String indexFor(Instant ts) {
    return DailyIndices.name(prefix, ts);
  }

  /** Installs the index template for {@code <prefix>-*}; idempotent. */
  public Future<Void> installTemplate() {
    return call(() -> es.indices().putIndexTemplate(t -> t
        .name(prefix)
        .indexPatterns(prefix + "-*")
        .template(tpl -> tpl
            .settings(s -> s.numberOfShards("1").numberOfReplicas("0").refreshInterval(r -> r.time("1s")))
            .mappings(m -> m
                .properties("run_id", p -> p.keyword(k -> k))
                .properties("job_id", p -> p.keyword(k -> k))
                .properties("namespace", p -> p.keyword(k -> k))
                .properties("stream", p -> p.keyword(k -> k))
                .properties("seq", p -> p.long_(l -> l))
                .properties("ts", p -> p.date(d -> d))
                .properties("line", p -> p.text(tx -> tx)))))).mapEmpty();
  }

  public Future<Boolean> ping() {
    return call(() -> es.cluster().health()).map(h -> true);
  }

  /** Indexes lines; fails if any line was rejected, so the caller retries the whole batch (ids are stable). */
  public Future<Void> index(List<LogLine> lines) {
    List<BulkOperation> ops = new ArrayList<>(lines.size());
    for (LogLine l : lines) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("run_id", l.runId().toString());
      doc.put("job_id", l.jobId());
      doc.put("namespace", l.namespace());
      doc.put("stream", l.stream());
      doc.put("seq", l.seq());
      doc.put("ts", l.ts().toString());
      doc.put("line", l.line());
      ops.add(BulkOperation.of(b -> b.index(i -> i.index(indexFor(l.ts())).id(l.docId()).document(doc))));
    }
    return call(() -> es.bulk(b -> b.operations(ops))).compose(EsLogStore::checkBulk);
  }

  private static Future<Void> checkBulk(BulkResponse resp) {
    if (!resp.errors()) {
      return Future.succeededFuture();
    }
    String first = resp.items().stream().filter(i -> i.error() != null).findFirst()
        .map(i -> i.error().type() + ": " + i.error().reason()).orElse("unknown");
    return Future.failedFuture(new IOException("bulk indexing rejected lines: " + first));
  }

  /** The names of this prefix's indices ({@code <prefix>-*}). */
  public Future<List<String>> indices() {
    return call(() -> es.indices().get(g -> g.index(prefix + "-*").ignoreUnavailable(true).allowNoIndices(true)))
        .map(resp -> new ArrayList<>(resp.result().keySet()));
  }

  /** Deletes these indices (gone already is fine), a few names per request so the URL stays short. */
  public Future<Void> deleteIndices(List<String> names) {
    Future<Void> done = Future.succeededFuture();
    for (int i = 0; i < names.size(); i += 50) {
      List<String> chunk = names.subList(i, Math.min(names.size(), i + 50));
      done = done.compose(v -> call(() -> es.indices().delete(d -> d.index(chunk).ignoreUnavailable(true)))
          .mapEmpty());
    }
    return done;
  }

  /**
   * Registers the shared-file-system snapshot repository {@code repo} at {@code location} (again is fine: the
   * same settings change nothing). Elasticsearch refuses a location outside its {@code path.repo}.
   */
  public Future<Void> ensureSnapshotRepository(String repo, String location) {
    return call(() -> es.snapshot().createRepository(r -> r.name(repo)
        .repository(rep -> rep.fs(fs -> fs.settings(st -> st.location(location)))))).mapEmpty();
  }

  /** The state of snapshot {@code name} in {@code repo} (SUCCESS, IN_PROGRESS, FAILED, ...), empty when absent. */
  public Future<Optional<String>> snapshotState(String repo, String name) {
    return call(() -> es.snapshot().get(g -> g.repository(repo).snapshot(name).ignoreUnavailable(true)))
        .map(resp -> resp.snapshots().stream().findFirst().map(info -> info.state()));
  }

  /** Snapshots one index as {@code name}, waiting until it is done; resolves to the snapshot's state. */
  public Future<String> snapshotIndex(String repo, String name, String index) {
    return call(() -> es.snapshot().create(c -> c.repository(repo).snapshot(name).indices(index)
        .includeGlobalState(false).waitForCompletion(true)))
        .map(resp -> resp.snapshot() == null ? "UNKNOWN" : resp.snapshot().state());
  }

  public Future<Void> deleteSnapshot(String repo, String name) {
    return call(() -> es.snapshot().delete(d -> d.repository(repo).snapshot(name))).mapEmpty();
  }

  /** Lines of one run with seq > afterSeq, in order; {@code stream} null for both streams. */
  public Future<List<LogLine>> linesOf(UUID runId, String stream, long afterSeq, int limit) {
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.term(t -> t.field("run_id").value(runId.toString()))));
    filters.add(Query.of(q -> q.range(r -> r.number(n -> n.field("seq").gt((double) afterSeq)))));
    if (stream != null) {
      filters.add(Query.of(q -> q.term(t -> t.field("stream").value(stream))));
    }
    return call(() -> es.search(s -> s
        .index(prefix + "-*")
        .ignoreUnavailable(true)
        .allowNoIndices(true)
        .query(q -> q.bool(b -> b.filter(filters)))
        .sort(so -> so.field(f -> f.field("seq").order(SortOrder.Asc)))
        .size(limit), Map.class))
        .map(resp -> {
          List<LogLine> out = new ArrayList<>();
          for (var hit : resp.hits().hits()) {
            out.add(fromSource(hit.source()));
          }
          return out;
        });
  }

  /** One page of a search, newest first; the cursor of the next page is that of the last hit, when the page is full. */
  public Future<List<LogHit>> search(LogSearch q) {
    List<Query> filters = new ArrayList<>();
    if (q.jobId() != null) {
      filters.add(Query.of(f -> f.term(t -> t.field("job_id").value(q.jobId()))));
    }
    if (q.runId() != null) {
      filters.add(Query.of(f -> f.term(t -> t.field("run_id").value(q.runId().toString()))));
    }
    if (q.stream() != null) {
      filters.add(Query.of(f -> f.term(t -> t.field("stream").value(q.stream()))));
    }
    if (q.since() != null || q.until() != null) {
      filters.add(Query.of(f -> f.range(r -> r.date(d -> {
        d.field("ts");
        if (q.since() != null) {
          d.gte(q.since().toString());
        }
        if (q.until() != null) {
          d.lt(q.until().toString());
        }
        return d;
      }))));
    }
    if (q.namespaces() != null) {
      List<FieldValue> allowed = q.namespaces().stream()
          .map(FieldValue::of).toList();
      filters.add(Query.of(f -> f.terms(t -> t.field("namespace").terms(v -> v.value(allowed)))));
    }
    boolean text = q.text() != null && !q.text().isBlank();
    return call(() -> es.search(s -> {
      s.index(prefix + "-*").ignoreUnavailable(true).allowNoIndices(true).size(q.limit())
          .query(qq -> qq.bool(b -> {
            b.filter(filters);
            if (text) {
              b.must(m -> m.match(mt -> mt.field("line").query(q.text())
                  .operator(Operator.And)));
            }
            return b;
          }))
          .sort(so -> so.field(f -> f.field("ts").order(SortOrder.Desc)))
          .sort(so -> so.field(f -> f.field("run_id").order(SortOrder.Desc)))
          .sort(so -> so.field(f -> f.field("seq").order(SortOrder.Desc)));
      if (text) {
        s.highlight(h -> h.fields("line", f -> f.numberOfFragments(3)));
      }
      if (q.after() != null) {
        s.searchAfter(FieldValue.of(q.after().tsMillis()),
            FieldValue.of(q.after().runId().toString()),
            FieldValue.of(q.after().seq()));
      }
      return s;
    }, Map.class)).map(resp -> {
      List<LogHit> out = new ArrayList<>();
      for (var hit : resp.hits().hits()) {
        out.add(new LogHit(fromSource(hit.source()), hit.highlight().getOrDefault("line", List.of())));
      }
      return out;
    });
  }

  @SuppressWarnings("rawtypes")
  static LogLine fromSource(Map src) {
    return new LogLine(UUID.fromString((String) src.get("run_id")), (String) src.get("job_id"), (String) src.get("namespace"),
        (String) src.get("stream"), ((Number) src.get("seq")).longValue(), Instant.parse((String) src.get("ts")),
        (String) src.get("line"));
  }

  /** Bridges the client's CompletableFuture back onto the caller's Vert.x context. */
  private <T> Future<T> call(Supplier<CompletableFuture<T>> op) {
    Context ctx = vertx.getOrCreateContext();
    try {
      return Future.fromCompletionStage(op.get(), ctx);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public void close() throws IOException {
    rest.close();
  }
}
