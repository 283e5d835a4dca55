package io.jobsched.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which top-level fields of a job's definition differ between two versions, named as the API names them
 * ({@code resources} for the resource class and the cpu, memory and GPU needs), in the order the API writes a job. The answer of "what
 * changed" in a job's version history.
 */
public final class ChangedFields {
  private record Field(String name, Function<Job, Object> value) {}

  private static final List<Field> FIELDS = List.of(
      new Field("id", Job::id), new Field("namespace", Job::namespace), new Field("name", Job::name),
      new Field("labels", Job::labels), new Field("schedule", Job::schedule), new Field("task", Job::task),
      new Field("resources", j -> List.of(j.resourceClass(), j.needs())), new Field("timeout", Job::timeout),
      new Field("on_timeout", Job::onTimeout), new Field("retry", Job::retry), new Field("priority", Job::priority),
      new Field("overlap", Job::overlap), new Field("misfire", Job::misfire),
      new Field("notify", Job::notifyRules));

  /** Every field a job definition has: what a create changes. */
  public static final List<String> ALL = FIELDS.stream().map(Field::name).toList();

  /** The field pause and resume change: not part of the definition, but of the recorded version. */
  public static final List<String> PAUSED = List.of("paused");

  private ChangedFields() {
  }

  /** The fields of {@code after} that differ from {@code before}; all of them when there is no {@code before}. */
  public static List<String> between(Job before, Job after) {
    if (before == null) {
      return ALL;
    }
    List<String> changed = new ArrayList<>();
    for (Field f : FIELDS) {
      if (!Objects.equals(f.value().apply(before), f.value().apply(after))) {
        changed.add(f.name());
      }
    }
    return changed;
  }
}
