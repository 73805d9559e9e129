package io.streamify;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the design notes stand as a reader finds them on GitHub: every relative link and
 * image points at a file of the repository, the screenshot is a real PNG, and the architecture
 * picture is a Mermaid block (which GitHub renders).
 */
class DocsLinksTest {
  static final Path ROOT = RepositoryStandsAloneTest.ROOT;

  /** [text](target) and ![alt](target); the target up to a space, ')' or '#'. */
  static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s#]*)(#[^)\\s]*)?\\)");

  @Test
  void everyRelativeLinkOfTheReadmeAndTheDocsResolves() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path page : pages) {
      Matcher m = LINK.matcher(Files.readString(page));
      while (m.find()) {
        String target = m.group(1);
        if (target.isEmpty() || target.matches("[a-z]+:.*")) {
          continue; // an anchor on the same page, or http(s)/mailto
        }
        links++;
        if (!Files.exists(page.getParent().resolve(target).normalize())) {
          broken.add(ROOT.relativize(page) + ": " + target);
        }
      }
    }
    assertThat(broken, empty());
    assertThat("links checked: " + links, links > 20, is(true));
  }

  @Test
  void theReadmeShowsTheArchitectureAndTheDashboard() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    assertThat(readme, containsString("```mermaid\nflowchart LR\n"));
    assertThat(readme, containsString("](docs/images/dashboard.png)"));
    byte[] png = Files.readAllBytes(ROOT.resolve("docs/images/dashboard.png"));
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assertThat("a PNG file", Arrays.equals(Arrays.copyOf(png, 8), signature), is(true));
    assertThat("a real screenshot, not a placeholder", png.length > 50_000, is(true));
    assertThat(readme, containsString("## The first ten minutes"));
  }
}
