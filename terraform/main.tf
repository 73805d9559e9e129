# Streamify on Google Cloud: the lake on GCS, the warehouse in BigQuery, Kafka managed (or an
# existing broker), the stream pipeline as a long-running Dataflow job and the hourly pipeline
# as a Flex Template that Cloud Scheduler launches every hour. See README.md, "Deploy to GCP".

data "google_project" "this" {
  project_id = var.project_id
}

locals {
  # The four event topics: the contract between the generator and the stream pipeline.
  topics = ["listen_events", "page_view_events", "auth_events", "status_change_events"]

  lake_bucket      = "${var.project_id}-${var.name}-lake"
  templates_bucket = "${var.project_id}-${var.name}-templates"
  lake_url         = "gs://${local.lake_bucket}/lake"

  # The Dataflow jobs' names and locations, one definition for Terraform's jobs, Cloud
  # Scheduler's launches, the alerts and templates/build.sh's printed commands (its outputs).
  # Dataflow refuses a second active job of one name: that keeps hourly runs from overlapping.
  stream_job_name           = "${var.name}-stream"
  hourly_job_name           = "${var.name}-hourly"
  dataflow_temp_location    = "gs://${local.templates_bucket}/temp"
  dataflow_staging_location = "gs://${local.templates_bucket}/staging"
  warehouse                 = "${var.project_id}:${var.bigquery_dataset}"

  labels = {
    app = var.name
  }
}

resource "google_project_service" "apis" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "bigquery.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudscheduler.googleapis.com",
    "compute.googleapis.com",
    "dataflow.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "managedkafka.googleapis.com",
    "monitoring.googleapis.com",
    "secretmanager.googleapis.com",
    "storage.googleapis.com",
  ])
  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

resource "google_artifact_registry_repository" "templates" {
  location      = var.region
  repository_id = var.name
  format        = "DOCKER"
  description   = "Streamify's Flex Template images (templates/build.sh)."
  labels        = local.labels

  # Keep the newest template_images_kept versions of each image and the one tagged template_tag
  # (the version the jobs launch from, however old); delete the rest. Where a version matches
  # both a delete and a keep policy, Artifact Registry keeps it (its cleanup policy overview).
  cleanup_policies {
    id     = "delete-older"
    action = "DELETE"
    condition {
      tag_state = "ANY"
    }
  }

  cleanup_policies {
    id     = "keep-recent"
    action = "KEEP"
    most_recent_versions {
      keep_count = var.template_images_kept
    }
  }

  cleanup_policies {
    id     = "keep-in-use"
    action = "KEEP"
    condition {
      tag_state    = "TAGGED"
      tag_prefixes = [var.template_tag]
    }
  }

  depends_on = [google_project_service.apis]
}
