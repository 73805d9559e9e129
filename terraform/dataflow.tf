# The stream pipeline as a long-running Dataflow job from its Flex Template (start_stream_job).
# Caveats of google_dataflow_flex_template_job: the template must exist first (templates/build.sh
# after the first apply); changing a parameter replaces or updates the running job; on destroy
# the job is drained (on_delete), which waits for open windows to close. To update the pipeline's
# code, rebuild the template with a new tag and set template_tag.
resource "terraform_data" "kafka_settings" {
  input = local.kafka_bootstrap_servers

  lifecycle {
    precondition {
      condition     = var.kafka_mode == "managed" || var.kafka_bootstrap_servers != ""
      error_message = "kafka_mode = \"external\" needs kafka_bootstrap_servers."
    }
    precondition {
      condition     = !var.start_stream_job || var.kafka_mode == "external" || var.kafka_bootstrap_address != ""
      error_message = "start_stream_job with Managed Kafka needs kafka_bootstrap_address: gcloud managed-kafka clusters describe ${var.name}-kafka --location=${var.region} --format='value(bootstrapAddress)'."
    }
    precondition {
      condition     = !var.start_stream_job || var.templates_built
      error_message = "start_stream_job needs templates_built = true: the job starts from the published template (templates/build.sh)."
    }
  }
}

locals {
  stream_parameters = merge({
    bootstrapServers = local.kafka_bootstrap_servers
    lake             = local.lake_url
    }, local.kafka_client_properties == "" ? {} : {
    kafkaProperties = local.kafka_client_properties
    }, local.kafka_properties_secret == "" ? {} : {
    kafkaPropertiesSecret = local.kafka_properties_secret
  })
}

resource "google_dataflow_flex_template_job" "stream" {
  provider = google-beta
  count    = var.start_stream_job ? 1 : 0

  name                    = local.stream_job_name
  region                  = var.region
  container_spec_gcs_path = "gs://${local.templates_bucket}/templates/${var.template_tag}/stream-pipeline.json"
  parameters              = local.stream_parameters

  service_account_email   = google_service_account.dataflow.email
  subnetwork              = google_compute_subnetwork.dataflow.self_link
  ip_configuration        = "WORKER_IP_PRIVATE"
  temp_location           = local.dataflow_temp_location
  staging_location        = local.dataflow_staging_location
  max_workers             = var.stream_max_workers
  machine_type            = var.worker_machine_type
  enable_streaming_engine = true
  on_delete               = "drain"
  labels                  = local.labels

  # Every grant the job's workers and launcher VM use, so a single apply cannot start the job
  # before its account may read the template, pull the image, reach Kafka and write the lake
  # (TerraformTest checks that each grant to the workers' account is listed).
  depends_on = [
    terraform_data.kafka_settings,
    google_project_iam_member.dataflow,
    google_storage_bucket_iam_member.dataflow_lake,
    google_storage_bucket_iam_member.dataflow_templates,
    google_artifact_registry_repository_iam_member.dataflow,
    google_bigquery_dataset_iam_member.dataflow,
    google_secret_manager_secret_iam_member.dataflow,
    google_managed_kafka_topic.events,
  ]
}
