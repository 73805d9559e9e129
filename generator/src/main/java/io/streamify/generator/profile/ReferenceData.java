package io.streamify.generator.profile;

import io.streamify.generator.model.AliasTable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The people and places users are drawn from, shipped as resources: US cities weighted by
 * population, first names by gender and surnames weighted by frequency, browser user agents
 * weighted by share.
 */
public final class ReferenceData {
  /** A place a user lives: the location fields of every event. */
  public record City(String city, String state, String zip, String lat, String lon) {}

  private static final String BASE = "/io/streamify/generator/reference/";
  private static volatile ReferenceData instance;

  public final List<City> cities = new ArrayList<>();
  public final AliasTable cityTable;
  public final List<String> maleNames = new ArrayList<>();
  public final AliasTable maleTable;
  public final List<String> femaleNames = new ArrayList<>();
  public final AliasTable femaleTable;
  public final List<String> lastNames = new ArrayList<>();
  public final AliasTable lastTable;
  public final List<String> userAgents = new ArrayList<>();
  public final AliasTable userAgentTable;

  private ReferenceData() {
    List<Double> w = new ArrayList<>();
    for (String[] row : rows("us_cities.tsv", 6)) {
      cities.add(new City(row[0], row[1], row[2], row[3], row[4]));
      w.add(Double.parseDouble(row[5]));
    }
    cityTable = table(w);
    maleTable = table(names("first_names_male.tsv", maleNames));
    femaleTable = table(names("first_names_female.tsv", femaleNames));
    lastTable = table(names("last_names.tsv", lastNames));
    List<Double> uw = new ArrayList<>();
    for (String[] row : rows("user_agents.tsv", 2)) {
      uw.add(Double.parseDouble(row[0]));
      userAgents.add(row[1]);
    }
    userAgentTable = table(uw);
  }

  public static ReferenceData get() {
    ReferenceData r = instance;
    if (r == null) {
      synchronized (ReferenceData.class) {
        r = instance;
        if (r == null) {
          r = new ReferenceData();
          instance = r;
        }
      }
    }
    return r;
  }

  private static List<Double> names(String file, List<String> into) {
    List<Double> w = new ArrayList<>();
    for (String[] row : rows(file, 2)) {
      into.add(row[0]);
      w.add(Double.parseDouble(row[1]));
    }
    return w;
  }

  private static AliasTable table(List<Double> weights) {
    return new AliasTable(weights.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static List<String[]> rows(String file, int columns) {
    List<String[]> out = new ArrayList<>();
    try (InputStream in = ReferenceData.class.getResourceAsStream(BASE + file)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + BASE + file);
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] row = line.split("\t");
        if (row.length != columns) {
          throw new IllegalStateException(file + ": expected " + columns + " columns: " + line);
        }
        out.add(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
