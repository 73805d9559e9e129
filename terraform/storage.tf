# The lake: events/ and deadletter/ (the stream job), closed/ (its closed-hour marks), curated/
# (the hourly job's per-hour summaries, from which it rebuilds the dimensions) and catalog/.
resource "google_storage_bucket" "lake" {
  name                        = local.lake_bucket
  location                    = var.storage_location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = !var.deletion_protection
  labels                      = local.labels

  # Raw events and dead letters age out; nothing the pipelines need to resume or rebuild
  # (curated/, catalog/, closed/) is ever deleted by a rule.
  dynamic "lifecycle_rule" {
    for_each = var.raw_retention_days > 0 ? [1] : []
    content {
      condition {
        age            = var.raw_retention_days
        matches_prefix = ["lake/events/", "lake/deadletter/"]
      }
      action {
        type = "Delete"
      }
    }
  }

  # Files of writers that died before moving them into place.
  lifecycle_rule {
    condition {
      age            = 7
      matches_prefix = ["lake/_temporary/"]
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  depends_on = [google_project_service.apis]
}

# Template specs (templates/), Dataflow's staging and temp files, and the source archives
# templates/build.sh uploads for Cloud Build (source/).
resource "google_storage_bucket" "templates" {
  name                        = local.templates_bucket
  location                    = var.storage_location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
  labels                      = local.labels

  lifecycle_rule {
    condition {
      age            = 7
      matches_prefix = ["temp/", "source/"]
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}
