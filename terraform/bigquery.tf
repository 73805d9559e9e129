# The warehouse. Tables come from sql/bigquery/tables.json, which is generated from the pipelines'
# one schema definition (io.streamify.warehouse.WarehouseTable), so Terraform, the DDL in
# sql/bigquery/tables.sql and the hourly pipeline's loads always agree.
locals {
  warehouse_tables = jsondecode(file("${path.module}/../sql/bigquery/tables.json"))
  # The views of sql/views/, with their dataset placeholder filled in.
  warehouse_views = ["wide_stream", "streams_hourly"]
}

resource "google_bigquery_dataset" "warehouse" {
  dataset_id  = var.bigquery_dataset
  location    = var.storage_location
  description = "Streamify's warehouse: raw event tables, facts and dimensions (the hourly job), and the dashboard's views."
  labels      = local.labels

  depends_on = [google_project_service.apis]
}

resource "google_bigquery_table" "tables" {
  for_each = local.warehouse_tables

  dataset_id          = google_bigquery_dataset.warehouse.dataset_id
  table_id            = each.key
  description         = each.value.description
  schema              = jsonencode(each.value.schema)
  clustering          = length(each.value.clustering) > 0 ? each.value.clustering : null
  deletion_protection = var.deletion_protection
  labels              = local.labels

  dynamic "time_partitioning" {
    for_each = each.value.kind == "HOURLY" ? [1] : []
    content {
      type          = "DAY"
      field         = "ts"
      expiration_ms = var.partition_expiration_days > 0 ? var.partition_expiration_days * 86400000 : null
    }
  }
}

resource "google_bigquery_table" "views" {
  for_each = toset(local.warehouse_views)

  dataset_id          = google_bigquery_dataset.warehouse.dataset_id
  table_id            = each.value
  description         = "sql/views/${each.value}.sql"
  deletion_protection = false
  labels              = local.labels

  view {
    query          = replace(file("${path.module}/../sql/views/${each.value}.sql"), "{{dataset}}", "`${var.project_id}.${var.bigquery_dataset}`.")
    use_legacy_sql = false
  }

  depends_on = [google_bigquery_table.tables]
}
