output "project_id" {
  description = "The project (templates/build.sh reads it)."
  value       = var.project_id
}

output "region" {
  description = "The region of the jobs (templates/build.sh reads it)."
  value       = var.region
}

output "lake_bucket" {
  description = "The lake's bucket."
  value       = google_storage_bucket.lake.name
}

output "lake_url" {
  description = "The pipelines' --lake."
  value       = local.lake_url
}

output "templates_bucket" {
  description = "Template specs (templates/), Dataflow staging and temp files."
  value       = google_storage_bucket.templates.name
}

output "artifact_repository" {
  description = "The Artifact Registry repository of the template images."
  value       = google_artifact_registry_repository.templates.repository_id
}

output "bigquery_dataset" {
  description = "The warehouse's dataset."
  value       = google_bigquery_dataset.warehouse.dataset_id
}

output "warehouse" {
  description = "The hourly pipeline's --warehouse (and streamify dashboard's)."
  value       = local.warehouse
}

output "dashboard_views" {
  description = "The views for Looker Studio (or streamify dashboard --warehouse=PROJECT:DATASET)."
  value       = [for v in local.warehouse_views : "${var.project_id}.${var.bigquery_dataset}.${v}"]
}

output "dataflow_service_account" {
  description = "The workers' service account."
  value       = google_service_account.dataflow.email
}

output "build_service_account" {
  description = "The account Cloud Build runs templates/build.sh's build as."
  value       = google_service_account.build.email
}

output "subnetwork" {
  description = "The workers' subnetwork (self link)."
  value       = google_compute_subnetwork.dataflow.self_link
}

output "kafka_bootstrap_servers" {
  description = "The stream pipeline's --bootstrapServers."
  value       = local.kafka_bootstrap_servers
}

output "kafka_client_properties" {
  description = "The stream pipeline's --kafkaProperties (Managed Kafka: OAUTHBEARER as the workers' account; no secrets)."
  value       = local.kafka_client_properties
}

output "kafka_properties_secret" {
  description = "External Kafka: the stream pipeline's --kafkaPropertiesSecret (the secret's latest version); empty with Managed Kafka."
  value       = local.kafka_properties_secret
}

output "dataflow_temp_location" {
  description = "Dataflow's temp location for both jobs (the stream job's and Cloud Scheduler's launches use it)."
  value       = local.dataflow_temp_location
}

output "dataflow_staging_location" {
  description = "Dataflow's staging location for both jobs."
  value       = local.dataflow_staging_location
}

output "stream_job_name" {
  description = "The streaming Dataflow job's name."
  value       = local.stream_job_name
}

output "hourly_job_name" {
  description = "The hourly Dataflow jobs' name, as Cloud Scheduler launches them."
  value       = local.hourly_job_name
}

output "scheduler_job" {
  description = "The Cloud Scheduler job that launches the hourly pipeline."
  value       = google_cloud_scheduler_job.hourly.name
}

output "template_tag" {
  description = "The tag of the published templates the jobs run (templates/build.sh builds and prints this tag)."
  value       = var.template_tag
}

output "kafka_cluster" {
  description = "Managed Kafka: the cluster's id, for gcloud managed-kafka clusters describe (its bootstrapAddress is kafka_bootstrap_address)."
  value       = var.kafka_mode == "managed" ? google_managed_kafka_cluster.events[0].cluster_id : ""
}

output "generator_ssh" {
  description = "generator_enabled: the command that opens a shell on the generator VM through IAP."
  value       = var.generator_enabled ? "gcloud compute ssh ${google_compute_instance.generator[0].name} --project=${var.project_id} --zone=${local.generator_zone} --tunnel-through-iap" : ""
}
