package io.jobsched.worker;

/** Ships a text (an HTTP body, a reply) to a run's log line by line, capped so one answer cannot flood it. */
final class TextLines {
  static final int MAX_CHARS = 64 * 1024;
  static final String STREAM = "stdout";

  private TextLines() {
  }

  /** Logs {@code text}, then {@code cutNote} when the caller already kept only a part of the answer. */
  static void log(LogSink sink, String text, String cutNote) {
    String kept = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
    int start = 0;
    while (start < kept.length()) {
      int end = kept.indexOf('\n', start);
      int stop = end < 0 ? kept.length() : end;
      int next = end < 0 ? kept.length() : end + 1;
      if (stop > start && kept.charAt(stop - 1) == '\r') {
        stop--;
      }
      sink.line(STREAM, kept.substring(start, stop));
      start = next;
    }
    if (cutNote != null) {
      sink.line(STREAM, cutNote);
    } else if (kept.length() < text.length()) {
      sink.line(STREAM, "[jobsched: output cut after " + MAX_CHARS + " of " + text.length() + " characters]");
    }
  }
}
