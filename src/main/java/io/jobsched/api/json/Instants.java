package io.jobsched.api.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from JSON text without {@code DateTimeFormatter}: a batch of 1,000 jobs formats and parses
 * thousands of them, and the formatter took a tenth of the node's time creating jobs. {@link #format} writes
 * exactly what {@link Instant#toString()} writes; {@link #parse} reads exactly what
 * {@link OffsetDateTime#parse} reads. The fast paths cover UTC instants of years 0000–9999 written in full
 * ({@code 2026-11-22T10:00:00Z}, any fraction); anything else takes the JDK's way.
 */
public final class Instants {
  private static final long MIN_FAST = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
  private static final long MAX_FAST = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  private Instants() {
  }

  public static String format(Instant t) {
    if (t == null) {
      return null;
    }
    long sec = t.getEpochSecond();
    if (sec < MIN_FAST || sec > MAX_FAST) {
      return t.toString();
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(sec, 86_400));
    int secOfDay = (int) Math.floorMod(sec, 86_400);
    char[] out = new char[30];
    digits(out, 0, date.getYear(), 4);
    out[4] = '-';
    digits(out, 5, date.getMonthValue(), 2);
    out[7] = '-';
    digits(out, 8, date.getDayOfMonth(), 2);
    out[10] = 'T';
    digits(out, 11, secOfDay / 3600, 2);
    out[13] = ':';
    digits(out, 14, secOfDay / 60 % 60, 2);
    out[16] = ':';
    digits(out, 17, secOfDay % 60, 2);
    int len = 19;
    int nano = t.getNano();
    if (nano > 0) {
      out[len++] = '.';
      // as ISO_INSTANT: milli, micro or nano digits, whichever holds the fraction
      if (nano % 1_000_000 == 0) {
        digits(out, len, nano / 1_000_000, 3);
        len += 3;
      } else if (nano % 1000 == 0) {
        digits(out, len, nano / 1000, 6);
        len += 6;
      } else {
        digits(out, len, nano, 9);
        len += 9;
      }
    }
    out[len++] = 'Z';
    return new String(out, 0, len);
  }

  /** As {@code OffsetDateTime.parse(s).toInstant()}, with its exceptions. */
  public static Instant parse(String s) {
    Instant fast = fastParse(s);
    return fast != null ? fast : OffsetDateTime.parse(s).toInstant();
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, else null (to be parsed the JDK's way). */
  private static Instant fastParse(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = number(s, 0, 4), month = number(s, 5, 2), day = number(s, 8, 2);
    int hour = number(s, 11, 2), minute = number(s, 14, 2), second = number(s, 17, 2);
    int nano = 0;
    if (n > 20) {
      int digits = n - 21;
      if (s.charAt(19) != '.' || digits < 1 || digits > 9) {
        return null;
      }
      nano = number(s, 20, digits);
      for (int i = digits; i < 9; i++) {
        nano *= 10;
      }
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || nano < 0) {
      return null;
    }
    try {
      return LocalDate.of(year, month, day).atTime(LocalTime.of(hour, minute, second, nano)).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      return null; // the JDK's parse says what is wrong with it
    }
  }

  /** The decimal number in s[from, from + len), or -1 if any of those is not a digit. */
  private static int number(String s, int from, int len) {
    int v = 0;
    for (int i = from; i < from + len; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static void digits(char[] out, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
