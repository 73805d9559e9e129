# Every hour, a few minutes past it (after the stream job's allowed lateness has closed the
# hour), Cloud Scheduler launches the hourly Flex Template through Dataflow's flexTemplates.launch
# API with an OAuth token of its own service account. The body names no hour and no fromHour, so
# the pipeline catches up: it loads every closed hour of the last catchUpHours that is not loaded
# yet or changed since its load, oldest first, at most maxHoursPerRun of them. Hours a stream
# outage or failed runs left behind are loaded by the next runs. (lookbackHours only applies with
# an explicit hour, so the body does not give it.)
locals {
  hourly_parameters = {
    lake           = local.lake_url
    warehouse      = local.warehouse
    catchUpHours   = tostring(var.hourly_catch_up_hours)
    maxHoursPerRun = tostring(var.hourly_max_hours_per_run)
  }

  hourly_launch = {
    launchParameter = {
      jobName              = local.hourly_job_name
      containerSpecGcsPath = "gs://${local.templates_bucket}/templates/${var.template_tag}/hourly-pipeline.json"
      parameters           = local.hourly_parameters
      environment = {
        serviceAccountEmail  = google_service_account.dataflow.email
        subnetwork           = google_compute_subnetwork.dataflow.self_link
        ipConfiguration      = "WORKER_IP_PRIVATE"
        tempLocation         = local.dataflow_temp_location
        stagingLocation      = local.dataflow_staging_location
        maxWorkers           = var.hourly_max_workers
        machineType          = var.worker_machine_type
        additionalUserLabels = local.labels
      }
    }
  }
}

resource "google_cloud_scheduler_job" "hourly" {
  name             = local.hourly_job_name
  region           = var.region
  description      = "Launches the Streamify hourly pipeline (Flex Template): loads every closed hour not loaded yet, oldest first."
  schedule         = var.hourly_schedule
  time_zone        = "Etc/UTC"
  attempt_deadline = "320s"
  # Paused until the templates exist: every launch before would fail (and alert).
  paused = !var.templates_built

  retry_config {
    retry_count          = 3
    min_backoff_duration = "60s"
    max_backoff_duration = "600s"
    max_doublings        = 3
  }

  http_target {
    http_method = "POST"
    uri         = "https://dataflow.googleapis.com/v1b3/projects/${var.project_id}/locations/${var.region}/flexTemplates:launch"
    headers = {
      "Content-Type" = "application/json"
    }
    body = base64encode(jsonencode(local.hourly_launch))

    oauth_token {
      service_account_email = google_service_account.scheduler.email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  lifecycle {
    precondition {
      condition     = var.raw_retention_days == 0 || var.hourly_catch_up_hours <= var.raw_retention_days * 24
      error_message = "hourly_catch_up_hours reaches back further than raw_retention_days keeps raw events."
    }
    # An hour older than the tables' partition expiration would vanish as it loads; the job
    # skips such hours, and the catch-up window should never reach them (a day of margin, since
    # partitions are days).
    precondition {
      condition     = var.partition_expiration_days == 0 || var.hourly_catch_up_hours + 24 <= var.partition_expiration_days * 24
      error_message = "hourly_catch_up_hours reaches back further than partition_expiration_days keeps partitions (less a day)."
    }
  }

  depends_on = [google_project_service.apis]
}
