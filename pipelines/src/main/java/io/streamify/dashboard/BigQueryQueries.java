package io.streamify.dashboard;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.model.DataFormatOptions;
import com.google.api.services.bigquery.model.GetQueryResultsResponse;
import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.QueryParameterType;
import com.google.api.services.bigquery.model.QueryParameterValue;
import com.google.api.services.bigquery.model.QueryRequest;
import com.google.api.services.bigquery.model.QueryResponse;
import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableRow;
import com.google.api.services.bigquery.model.TableSchema;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's queries on a BigQuery dataset ({@code project:dataset}), through BigQuery's REST
 * API with the application-default credentials ({@code gcloud auth application-default login}, or
 * the service account on GCP). The same query files as DuckDB, with named parameters.
 */
public final class BigQueryQueries implements WarehouseQueries {
  private final Bigquery bigquery;
  private final String project;
  private final String dataset;

  BigQueryQueries(Bigquery bigquery, String project, String dataset) {
    this.bigquery = bigquery;
    this.project = project;
    this.dataset = dataset;
  }

  static BigQueryQueries open(String warehouse) throws IOException {
    String[] parts = warehouse.split(":", 2);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException(
          "--warehouse must be a DuckDB file (*.duckdb) or a"
              + " BigQuery project:dataset, got "
              + warehouse);
    }
    GoogleCredentials credentials =
        GoogleCredentials.getApplicationDefault()
            .createScoped(
                "https://www.googleapis.com/auth/bigquery.readonly",
                "https://www.googleapis.com/auth/cloud-platform.read-only");
    Bigquery client =
        new Bigquery.Builder(
                new NetHttpTransport(),
                GsonFactory.getDefaultInstance(),
                new HttpCredentialsAdapter(credentials))
            .setApplicationName("streamify-dashboard")
            .build();
    return new BigQueryQueries(client, parts[0], parts[1]);
  }

  /** The request for one query: the dataset filled in, each named parameter typed and set. */
  static QueryRequest request(
      String queryName, String project, String dataset, Map<String, Object> parameters) {
    String sql = DashboardQueries.forDataset(queryName, "`" + project + "." + dataset + "`.");
    List<QueryParameter> params = new ArrayList<>();
    for (String name : new LinkedHashSet<>(DashboardQueries.parameterNames(sql))) {
      if (!parameters.containsKey(name)) {
        throw new IllegalArgumentException(queryName + " needs parameter @" + name);
      }
      Object v = parameters.get(name);
      String type;
      String value;
      if (v instanceof Instant t) {
        type = "TIMESTAMP";
        value = t.toString();
      } else if (v instanceof Long || v instanceof Integer) {
        type = "INT64";
        value = v.toString();
      } else {
        type = "STRING";
        value = String.valueOf(v);
      }
      params.add(
          new QueryParameter()
              .setName(name)
              .setParameterType(new QueryParameterType().setType(type))
              .setParameterValue(new QueryParameterValue().setValue(value)));
    }
    return new QueryRequest()
        .setQuery(sql)
        .setUseLegacySql(false)
        .setParameterMode("NAMED")
        .setQueryParameters(params)
        .setTimeoutMs(60_000L)
        .setFormatOptions(new DataFormatOptions().setUseInt64Timestamp(true));
  }

  @Override
  public List<Map<String, Object>> run(String queryName, Map<String, Object> parameters)
      throws IOException, InterruptedException {
    QueryResponse response =
        bigquery.jobs().query(project, request(queryName, project, dataset, parameters)).execute();
    if (Boolean.TRUE.equals(response.getJobComplete())) {
      return rows(response.getSchema(), response.getRows());
    }
    String jobId = response.getJobReference().getJobId();
    String location = response.getJobReference().getLocation();
    while (true) {
      GetQueryResultsResponse results =
          bigquery
              .jobs()
              .getQueryResults(project, jobId)
              .setLocation(location)
              .setTimeoutMs(10_000L)
              .setFormatOptionsUseInt64Timestamp(true)
              .execute();
      if (Boolean.TRUE.equals(results.getJobComplete())) {
        return rows(results.getSchema(), results.getRows());
      }
      Thread.sleep(200);
    }
  }

  /** BigQuery's rows (cells as strings) as the dashboard's values. */
  static List<Map<String, Object>> rows(TableSchema schema, List<TableRow> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (rows == null) {
      return out;
    }
    List<TableFieldSchema> fields = schema.getFields();
    for (TableRow r : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < fields.size(); i++) {
        TableCell cell = r.getF().get(i);
        Object v = cell.getV();
        row.put(fields.get(i).getName(), value(fields.get(i).getType(), v));
      }
      out.add(row);
    }
    return out;
  }

  static Object value(String type, Object v) {
    if (v == null || !(v instanceof String s)) {
      return null;
    }
    return switch (type) {
      case "INTEGER", "INT64" -> Long.parseLong(s);
      case "FLOAT", "FLOAT64", "NUMERIC", "BIGNUMERIC" -> Double.parseDouble(s);
      case "BOOLEAN", "BOOL" -> Boolean.parseBoolean(s);
      case "TIMESTAMP" -> Instant.EPOCH.plusNanos(Long.parseLong(s) * 1000).toString();
      default -> s;
    };
  }

  @Override
  public String description() {
    return "BigQuery " + project + ":" + dataset;
  }

  @Override
  public void close() {}
}
