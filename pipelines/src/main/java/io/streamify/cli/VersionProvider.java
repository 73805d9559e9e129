package io.streamify.cli;

import picocli.CommandLine.IVersionProvider;

/** picocli's {@code --version} for the commands built on it: {@link Versions#text}. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return Versions.text().split("\n");
  }
}
