package io.streamify.audit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A usage mistake is one line and exit code 2; an empty lake has nothing to account for. */
class AuditCliTest {
  static String[] audit(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Audit.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
    return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void mistakesAreOneLineWithExitCodeTwo(@TempDir Path lake) {
    String[] r = audit("--warehouse=w.duckdb");
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], is("streamify audit: Missing required option: '--lake=DIR|gs://BUCKET/PREFIX'"
        + " (see --help)\n"));
    r = audit("--lake=" + lake, "--from=yesterday");
    assertThat(r[1], r[0], is("2"));
    assertThat(r[1], is("streamify audit: an hour is written like 2026-11-24T13 (UTC), got"
        + " 'yesterday'\n"));
    r = audit("--lake=" + lake, "--from=2026-11-24T13", "--to=2026-11-24T12");
    assertThat(r[1], is("streamify audit: --from is after --to\n"));
  }

  @Test
  void anEmptyLakeIsAccountedForAndSaysWhatWasNotChecked(@TempDir Path lake) {
    String[] r = audit("--lake=" + lake);
    assertThat(r[1], r[0], is("0"));
    assertThat(r[1], containsString("the lake has no event in these hours"));
    assertThat(r[1], containsString("note: no --bootstrapServers: the lake was not reconciled"
        + " with Kafka"));
    assertThat(r[1], containsString("every record accounted for"));
  }
}
