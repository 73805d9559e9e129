package io.streamify.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * {@code streamify --version} and {@code streamify COMMAND --version}: the project's version and
 * those of the libraries its results depend on, as found on the classpath at run time (not as
 * declared), one line each.
 */
public final class Versions {
  private Versions() {}

  /** The lines: streamify, Apache Beam, the Kafka client, DuckDB, Java. */
  public static String text() {
    return "streamify "
        + streamify()
        + "\n"
        + "Apache Beam "
        + ReleaseInfo.getReleaseInfo().getVersion()
        + "\n"
        + "Kafka client "
        + AppInfoParser.getVersion()
        + "\n"
        + "DuckDB "
        + duckDb()
        + "\n"
        + "Java "
        + System.getProperty("java.version")
        + " ("
        + System.getProperty("java.vendor")
        + ")\n";
  }

  /** The project version the build wrote into versions.properties. */
  static String streamify() {
    Properties p = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // unknown, said below
    }
    return p.getProperty("streamify", "(unknown version)");
  }

  private static String duckDb() {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      return c.getMetaData().getDatabaseProductVersion();
    } catch (Exception e) {
      return "(not loadable: " + e.getMessage() + ")";
    }
  }

  /** Prints {@link #text} when the arguments ask for it; true if they did. */
  public static boolean printIfAsked(String[] args, PrintStream out) {
    for (String a : args) {
      if (a.equals("--version")) {
        out.print(text());
        return true;
      }
    }
    return false;
  }

  public static void main(String[] args) {
    System.out.print(text());
  }
}
