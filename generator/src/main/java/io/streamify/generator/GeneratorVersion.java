package io.streamify.generator;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code streamify generate -V}: the project version (written by the build into version.properties)
 * and the Kafka client the generator produces with, read at run time.
 */
public final class GeneratorVersion implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties p = new Properties();
    try (InputStream in = GeneratorVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    return new String[] {
      "streamify " + p.getProperty("streamify", "(unknown version)"),
      "Kafka client " + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
