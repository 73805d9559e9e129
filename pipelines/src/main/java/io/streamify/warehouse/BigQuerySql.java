package io.streamify.warehouse;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.Data;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.QueryParameterType;
import com.google.api.services.bigquery.model.QueryParameterValue;
import com.google.api.services.bigquery.model.QueryRequest;
import com.google.api.services.bigquery.model.QueryResponse;
import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableRow;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Small queries on a BigQuery dataset through its REST API ({@code jobs.query}), with the
 * application-default credentials: the hourly job's load manifests and {@code streamify audit}.
 * Parameters are named ({@code @name}); a {@code Long} is INT64, anything else a STRING.
 */
public final class BigQuerySql {
  private final Bigquery client;
  private final String project;
  private final String dataset;

  public BigQuerySql(Bigquery client, String project, String dataset) {
    this.client = client;
    this.project = project;
    this.dataset = dataset;
  }

  /** For {@code project:dataset}, with the read-write BigQuery scope (queries are jobs). */
  public static BigQuerySql open(String warehouse, String application) throws IOException {
    String[] parts = warehouse.split(":", 2);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "a BigQuery warehouse is project:dataset, got " + warehouse);
    }
    GoogleCredentials credentials =
        GoogleCredentials.getApplicationDefault()
            .createScoped("https://www.googleapis.com/auth/bigquery");
    Bigquery client =
        new Bigquery.Builder(
                new NetHttpTransport(),
                GsonFactory.getDefaultInstance(),
                new HttpCredentialsAdapter(credentials))
            .setApplicationName(application)
            .build();
    return new BigQuerySql(client, parts[0], parts[1]);
  }

  /** {@code `project.dataset.table`}, for the query text. */
  public String table(String name) {
    return "`" + project + "." + dataset + "." + name + "`";
  }

  /** The request for a standard-SQL query with named parameters. */
  public static QueryRequest request(String sql, Map<String, Object> parameters) {
    List<QueryParameter> params = new ArrayList<>();
    parameters.forEach(
        (name, value) ->
            params.add(
                new QueryParameter()
                    .setName(name)
                    .setParameterType(
                        new QueryParameterType()
                            .setType(value instanceof Long ? "INT64" : "STRING"))
                    .setParameterValue(new QueryParameterValue().setValue(String.valueOf(value)))));
    return new QueryRequest()
        .setQuery(sql)
        .setUseLegacySql(false)
        .setParameterMode("NAMED")
        .setTimeoutMs(120_000L)
        .setQueryParameters(params);
  }

  /** The rows of a finished response, each cell as text (null for NULL). */
  public static List<List<String>> rows(QueryResponse response) {
    if (!Boolean.TRUE.equals(response.getJobComplete())) {
      throw new IllegalStateException("the BigQuery query did not finish in time");
    }
    List<List<String>> out = new ArrayList<>();
    if (response.getRows() != null) {
      for (TableRow row : response.getRows()) {
        List<String> cells = new ArrayList<>();
        for (TableCell c : row.getF()) {
          Object v = c.getV();
          cells.add(v == null || v instanceof Data && Data.isNull(v) ? null : String.valueOf(v));
        }
        out.add(cells);
      }
    }
    return out;
  }

  /**
   * A table's partition expiration in ms ({@code timePartitioning.expirationMs}, tables.get); empty
   * when the table has none or does not exist.
   */
  public OptionalLong partitionExpirationMs(String table) throws IOException {
    try {
      var t = client.tables().get(project, dataset, table).execute();
      return t.getTimePartitioning() == null || t.getTimePartitioning().getExpirationMs() == null
          ? OptionalLong.empty()
          : OptionalLong.of(t.getTimePartitioning().getExpirationMs());
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404) {
        return OptionalLong.empty();
      }
      throw e;
    }
  }

  /** Runs a query; empty if a table it reads does not exist (404). */
  public Optional<List<List<String>>> query(String sql, Map<String, Object> parameters)
      throws IOException {
    try {
      return Optional.of(rows(client.jobs().query(project, request(sql, parameters)).execute()));
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }
}
