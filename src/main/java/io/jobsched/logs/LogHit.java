package io.jobsched.logs;

import java.util.List;

/** A line a search found, with the fragments of it that matched ({@code <em>}-marked; empty without text). */
public record LogHit(LogLine line, List<String> highlights) {}
