# Three service accounts, least privilege, no keys: the Dataflow workers (both jobs, and the Flex
# Template launcher VMs), Cloud Scheduler (which may only launch the hourly template as the
# workers' account) and Cloud Build (which builds the templates: templates/build.sh runs the
# build as it, since in projects created since mid-2024 the default build account may lack the
# rights to push images and write the specs). No owner or editor anywhere; the one basic role is
# viewer for the workers' account, which Google's "Run a Flex Template" page lists for it.
resource "google_service_account" "dataflow" {
  account_id   = "${var.name}-dataflow"
  display_name = "Streamify Dataflow workers"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "scheduler" {
  account_id   = "${var.name}-scheduler"
  display_name = "Streamify Cloud Scheduler (launches the hourly Flex Template)"
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "build" {
  account_id   = "${var.name}-build"
  display_name = "Streamify Cloud Build (templates/build.sh: images and template specs)"
  depends_on   = [google_project_service.apis]
}

locals {
  # Project-wide roles of the workers: run as Dataflow workers, run BigQuery load jobs, and (with
  # Managed Kafka) connect to the cluster as a client.
  # roles/viewer: Google's "Run a Flex Template" page lists it, beside Dataflow Worker and
  # Storage Object Admin, for the account of the launcher and worker VMs.
  dataflow_project_roles = concat(["roles/dataflow.worker", "roles/bigquery.jobUser", "roles/viewer"],
  var.kafka_mode == "managed" ? ["roles/managedkafka.client"] : [])
}

resource "google_project_iam_member" "dataflow" {
  for_each = toset(local.dataflow_project_roles)
  project  = var.project_id
  role     = each.value
  member   = "serviceAccount:${google_service_account.dataflow.email}"
}

# Read and write the lake; stage, temp and template files.
resource "google_storage_bucket_iam_member" "dataflow_lake" {
  bucket = google_storage_bucket.lake.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.dataflow.email}"
}

resource "google_storage_bucket_iam_member" "dataflow_templates" {
  bucket = google_storage_bucket.templates.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.dataflow.email}"
}

# Write the warehouse's tables (only this dataset).
resource "google_bigquery_dataset_iam_member" "dataflow" {
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  role       = "roles/bigquery.dataEditor"
  member     = "serviceAccount:${google_service_account.dataflow.email}"
}

# The launcher VM pulls the template image.
resource "google_artifact_registry_repository_iam_member" "dataflow" {
  location   = google_artifact_registry_repository.templates.location
  repository = google_artifact_registry_repository.templates.name
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.dataflow.email}"
}

# External Kafka: read the client settings (only this secret).
resource "google_secret_manager_secret_iam_member" "dataflow" {
  count     = var.kafka_mode == "external" ? 1 : 0
  secret_id = google_secret_manager_secret.kafka_client_properties[0].id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.dataflow.email}"
}

# Cloud Scheduler: launch Dataflow jobs, as the workers' account, from the template spec.
resource "google_project_iam_member" "scheduler" {
  project = var.project_id
  role    = "roles/dataflow.developer"
  member  = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_service_account_iam_member" "scheduler_acts_as_dataflow" {
  service_account_id = google_service_account.dataflow.name
  role               = "roles/iam.serviceAccountUser"
  member             = "serviceAccount:${google_service_account.scheduler.email}"
}

resource "google_storage_bucket_iam_member" "scheduler_templates" {
  bucket = google_storage_bucket.templates.name
  role   = "roles/storage.objectViewer"
  member = "serviceAccount:${google_service_account.scheduler.email}"
}

# Cloud Build, as the build account: push the template images (this repository only), read the
# uploaded source and write the template specs (the templates bucket only: build.sh stages the
# source there), and write the build's logs to Cloud Logging (a build with a user-specified
# account must log there or to a bucket of its own; cloudbuild.yaml says CLOUD_LOGGING_ONLY).
resource "google_artifact_registry_repository_iam_member" "build" {
  location   = google_artifact_registry_repository.templates.location
  repository = google_artifact_registry_repository.templates.name
  role       = "roles/artifactregistry.writer"
  member     = "serviceAccount:${google_service_account.build.email}"
}

resource "google_storage_bucket_iam_member" "build_templates" {
  bucket = google_storage_bucket.templates.name
  role   = "roles/storage.objectAdmin"
  member = "serviceAccount:${google_service_account.build.email}"
}

resource "google_project_iam_member" "build_logs" {
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.build.email}"
}
