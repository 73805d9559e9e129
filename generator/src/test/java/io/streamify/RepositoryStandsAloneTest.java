package io.streamify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The repository stands alone: no file in it reads or points at a folder beside the clone, or at
 * design notes kept outside it (ours are in docs/). A clone has nothing beside it, so such a
 * reference is a broken link, or a test that passes on one machine only.
 *
 * <p>It walks the files on disk, not git's index, so it needs no git and also sees files not
 * committed yet. It sits in the generator's tests, the first module with tests that {@code ./mvnw
 * verify} runs, so a stray reference fails the build early.
 */
class RepositoryStandsAloneTest {
  /** Built from parts, so that this file does not contain what it looks for. */
  static final List<String> FORBIDDEN = List.of(".." + "/shared", "DESIGN" + ".md");

  /** Not the repository's files: git's, build output, tools' and IDEs' folders. */
  static final Set<String> SKIPPED =
      Set.of(".git", "target", "node_modules", ".idea", ".vscode", ".terraform", "output");

  /** What .gitignore keeps out at the root only: the local stack's and benchmarks' data. */
  static final Set<String> SKIPPED_AT_ROOT = Set.of("lake", "bench", "streamify-data");

  /** The project root: tests run in their module's folder, one level below it. */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void noFileRefersOutsideTheRepository() throws IOException {
    assertThat(
        ROOT + " is the project root",
        Files.isRegularFile(ROOT.resolve("mvnw")) && Files.isDirectory(ROOT.resolve("generator")),
        is(true));
    List<String> scanned = new ArrayList<>();
    List<String> offenders = new ArrayList<>();
    Files.walkFileTree(
        ROOT,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String name = String.valueOf(dir.getFileName());
            boolean skip =
                !dir.equals(ROOT)
                    && (SKIPPED.contains(name)
                        || dir.getParent().equals(ROOT) && SKIPPED_AT_ROOT.contains(name));
            return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            // A worktree's .git is a file.
            if (attrs.isRegularFile() && !SKIPPED.contains(file.getFileName().toString())) {
              String relative = ROOT.relativize(file).toString();
              scanned.add(relative);
              offenders.addAll(references(relative, Files.readAllBytes(file)));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    assertThat(
        "the walk saw the repository",
        scanned,
        hasItems("README.md", "pom.xml", "generator/pom.xml"));
    assertThat("files that refer outside the repository", offenders, empty());
  }

  /** "path:line: text" for every forbidden string in the file, whatever its encoding. */
  static List<String> references(String path, byte[] content) {
    // Latin-1 maps each byte to one char, so ASCII needles are found in any file, binary or not.
    String text = new String(content, StandardCharsets.ISO_8859_1);
    List<String> found = new ArrayList<>();
    for (String needle : FORBIDDEN) {
      for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
        int line = 1 + (int) text.substring(0, i).chars().filter(c -> c == '\n').count();
        found.add(path + ":" + line + ": " + needle);
      }
    }
    return found;
  }
}
