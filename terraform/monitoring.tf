# Cloud Monitoring for the hourly job: three alert policies, each notifying
# alert_notification_channels (none by default: incidents then open in the console only).
#
# 1. Backlog. Every catch-up run prints one line to stderr from its Flex Template launcher
#      streamify hourly: backlog: hours_pending=N oldest_pending_minutes=M
#    (io.streamify.hourly.LoadPlan.backlogLine): N closed hours waited for a load when the run
#    started; the oldest hour not in the warehouse ended M minutes ago: a waiting closed hour, or
#    the first hour the stream job has not closed (so a stalled stream job raises M too; 0 when
#    the lake has no closed hour at all). A log-based
#    distribution metric extracts M; the policy fires when M reaches hourly_unloaded_alert_minutes.
# 2. Silence. No such line for hourly_unloaded_alert_minutes: the scheduler is paused or
#    failing, launches fail before they plan, or the line no longer reaches the metric.
# 3. Failure. An hourly Dataflow job failed (a data-quality failure or any other).
#
# What this file relies on, and where it was read (terraform validate/plan were not run here):
# - google_logging_metric and google_monitoring_alert_policy arguments: the Terraform google
#   provider's resource docs, registry.terraform.io/providers/hashicorp/google/latest/docs/
#   resources/logging_metric and .../monitoring_alert_policy.
# - value_extractor: REGEXP_EXTRACT(field, regex), RE2 with exactly one capture group; what it
#   extracts must convert to a double, else no value is recorded (LogMetric.valueExtractor in the
#   Logging API reference, cloud.google.com/logging/docs/reference/v2/rest/v2/projects.metrics).
#   A value-extracting metric must be DELTA and DISTRIBUTION (the same reference, metricDescriptor).
# - A bucket holds its lower bound and not its upper (google.api.Distribution.BucketOptions), and
#   "the width of the bucket determines the maximum error" of a percentile read from a
#   distribution ("Percentiles and distribution-valued metrics", cloud.google.com/monitoring/api/
#   v3/distribution-metrics). So (our inference) with the threshold on a bucket boundary, a value
#   at or above it reads at or above it, and one below it reads below it.
# - Aligners and reducers: ALIGN_PERCENTILE_99 takes DELTA distributions and gives DOUBLE;
#   REDUCE_MAX and ALIGN_MAX take numeric values (google.monitoring.v3.Aggregation, in
#   googleapis/googleapis google/monitoring/v3/common.proto). An absence duration is whole
#   minutes, at least 120 s (MetricAbsence.duration in the Monitoring API reference); no maximum
#   was found stated, so hourly_unloaded_alert_minutes stays under a day.
# - Where the launcher's output goes: NOT CONFIRMED in Google's documentation (no page found that
#   states it). Test and sample code of Google's Dataflow templates (com.google.cloud.teleport
#   packages) reads launcher output with resource.type="dataflow_step", resource.labels.job_id and
#   logName=".../logs/dataflow.googleapis.com%2Flauncher", and a launcher log entry quoted there
#   carries a line of the program's output as jsonPayload.message, with resource.labels.job_name.
#   If the line lands elsewhere the metric stays empty and policy 2 fires: look with
#     gcloud logging read 'logName:"dataflow.googleapis.com%2Flauncher" "streamify hourly: backlog"'
# - dataflow.googleapis.com/job/is_failed on resource dataflow_job, label job_name: named in
#   "Monitoring your Dataflow pipelines: an overview" (Google Cloud community blog,
#   medium.com/google-cloud) and used that way by many public configurations; its value type
#   (0, then 1 once the job failed; INT64 assumed, as ALIGN_MAX needs a number) is NOT CONFIRMED
#   from Google's metric list, which the search tools here did not return.
locals {
  hourly_backlog_filter = join(" AND ", [
    "resource.type=\"dataflow_step\"",
    "resource.labels.job_name=\"${local.hourly_job_name}\"",
    "logName=\"projects/${var.project_id}/logs/dataflow.googleapis.com%2Flauncher\"",
    "jsonPayload.message:\"streamify hourly: backlog:\"",
  ])

  # The user-defined metric's type in Cloud Monitoring (logging.googleapis.com/user/NAME).
  hourly_backlog_metric = "logging.googleapis.com/user/${google_logging_metric.hourly_backlog.name}"

  hourly_failed_filter = join(" AND ", [
    "metric.type=\"dataflow.googleapis.com/job/is_failed\"",
    "resource.type=\"dataflow_job\"",
    "resource.label.job_name=\"${local.hourly_job_name}\"",
  ])
}

resource "google_logging_metric" "hourly_backlog" {
  name        = "${var.name}-hourly-oldest-pending-minutes"
  description = "Minutes since the end of the oldest hour not in the warehouse when an hourly catch-up run started (a closed hour waiting for a load, or the first hour the stream job has not closed), from the run's backlog line."
  filter      = local.hourly_backlog_filter

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "DISTRIBUTION"
    unit         = "min"
    display_name = "Streamify hourly: oldest hour waiting for a load (minutes)"
  }

  value_extractor = "REGEXP_EXTRACT(jsonPayload.message, \".*oldest_pending_minutes=([0-9]+).*\")"

  # 30-minute buckets from 0 to 48 hours; hourly_unloaded_alert_minutes is a multiple of 30, so
  # the alert's threshold is a bucket boundary.
  bucket_options {
    linear_buckets {
      num_finite_buckets = 96
      width              = 30
      offset             = 0
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "hourly_backlog" {
  display_name          = "Streamify: closed hours are waiting for the warehouse"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "Oldest unloaded hour ended ${var.hourly_unloaded_alert_minutes} or more minutes ago"

    # One point per run, so an hour holds one or two; their 99th percentile lies in the bucket of
    # the largest, all runs' series reduced to their maximum.
    condition_threshold {
      filter          = "metric.type=\"${local.hourly_backlog_metric}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.hourly_unloaded_alert_minutes
      duration        = "0s"

      aggregations {
        alignment_period     = "3600s"
        per_series_aligner   = "ALIGN_PERCENTILE_99"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      A closed hour of the lake has waited ${var.hourly_unloaded_alert_minutes} minutes or more
      for the hourly job. Each scheduled run (${local.hourly_job_name}) loads the oldest waiting hours
      first, at most ${var.hourly_max_hours_per_run} a run, so a backlog after a stream outage
      drains by itself; this alert means it is not draining. Look at the last hourly Dataflow
      jobs (failed ones, their launcher logs), at the Cloud Scheduler job, and run
      `streamify audit --lake=${local.lake_url} --warehouse=${local.warehouse}` to see which
      hours are NOT LOADED or CHANGED.
    EOT
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "hourly_silent" {
  display_name          = "Streamify: the hourly job stopped reporting its backlog"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "No backlog line for ${var.hourly_unloaded_alert_minutes} minutes"

    # All runs (one time series per Dataflow job) reduced to one series, which must not go quiet.
    condition_absent {
      filter   = "metric.type=\"${local.hourly_backlog_metric}\""
      duration = "${var.hourly_unloaded_alert_minutes * 60}s"

      aggregations {
        alignment_period     = "600s"
        per_series_aligner   = "ALIGN_PERCENTILE_99"
        cross_series_reducer = "REDUCE_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      No hourly run of ${local.hourly_job_name} has logged its backlog line for
      ${var.hourly_unloaded_alert_minutes} minutes. The Cloud Scheduler job may be paused or
      failing to launch (its attempts are in Cloud Logging), launches may fail before they plan
      (look at the jobs' launcher logs), or the line may no longer reach the log-based metric
      ${google_logging_metric.hourly_backlog.name}. Once runs resume they catch up with every
      closed hour of the last ${var.hourly_catch_up_hours} hours that is not loaded.
    EOT
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "hourly_failed" {
  display_name          = "Streamify: an hourly Dataflow job failed"
  combiner              = "OR"
  notification_channels = var.alert_notification_channels

  conditions {
    display_name = "${local.hourly_job_name} job failed"

    condition_threshold {
      filter          = local.hourly_failed_filter
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"

      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  # A failed job stops reporting; close its incident a day later rather than after a week.
  alert_strategy {
    auto_close = "86400s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      A Dataflow job ${local.hourly_job_name} failed, so its hours have no load manifest and count as
      not loaded (a failed data-quality check loads nothing and prints one line per check in the
      job's logs). The next scheduled run takes the same hours again; if it fails the same way,
      fix the cause, and the runs after it catch up.
    EOT
  }

  depends_on = [google_project_service.apis]
}
