# Kafka: by default a Managed Service for Apache Kafka cluster reachable from the workers' subnet,
# with the four topics; clients authenticate as their service account (OAUTHBEARER), so there is
# no secret at all. With kafka_mode = "external" an existing broker is used instead; its client
# settings (SASL/TLS, with secrets) live only in Secret Manager.
resource "google_managed_kafka_cluster" "events" {
  count      = var.kafka_mode == "managed" ? 1 : 0
  cluster_id = "${var.name}-kafka"
  location   = var.region
  labels     = local.labels

  capacity_config {
    vcpu_count   = var.kafka_vcpu_count
    memory_bytes = var.kafka_memory_gib * 1073741824
  }

  gcp_config {
    access_config {
      network_configs {
        subnet = "projects/${data.google_project.this.number}/regions/${var.region}/subnetworks/${google_compute_subnetwork.dataflow.name}"
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.kafka_memory_gib >= var.kafka_vcpu_count && var.kafka_memory_gib <= 8 * var.kafka_vcpu_count
      error_message = "kafka_memory_gib must be 1 to 8 GiB per vCPU: ${var.kafka_vcpu_count} to ${8 * var.kafka_vcpu_count} for kafka_vcpu_count = ${var.kafka_vcpu_count}."
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_managed_kafka_topic" "events" {
  for_each           = var.kafka_mode == "managed" ? toset(local.topics) : toset([])
  topic_id           = each.value
  cluster            = google_managed_kafka_cluster.events[0].cluster_id
  location           = var.region
  partition_count    = var.kafka_partitions
  replication_factor = 3

  configs = {
    # a week: a restarted stream job resumes at its committed offsets, the first record not yet in
    # the lake, so a stop shorter than this loses nothing (and streamify audit can read it back)
    "retention.ms" = "604800000"
  }
}

resource "google_secret_manager_secret" "kafka_client_properties" {
  count     = var.kafka_mode == "external" ? 1 : 0
  secret_id = var.kafka_client_properties_secret
  labels    = local.labels

  replication {
    auto {}
  }

  depends_on = [google_project_service.apis]
}

locals {
  # Managed Kafka: the address the cluster reports (its bootstrapAddress; the API calls the
  # bootstrap.CLUSTER.REGION.managedkafka.PROJECT.cloud.goog form legacy), on port 9092, the TLS
  # listener SASL clients use. Empty until var.kafka_bootstrap_address is set.
  managed_bootstrap_servers = var.kafka_bootstrap_address == "" ? "" : "${var.kafka_bootstrap_address}:9092"
  kafka_bootstrap_servers   = var.kafka_mode == "managed" ? local.managed_bootstrap_servers : var.kafka_bootstrap_servers

  # Managed Kafka: SASL/OAUTHBEARER with the workers' own credentials (the login handler ships
  # with Beam's Kafka IO). External: the properties come from the secret at run time.
  kafka_client_properties = var.kafka_mode == "managed" ? "security.protocol=SASL_SSL,sasl.mechanism=OAUTHBEARER,sasl.login.callback.handler.class=com.google.cloud.hosted.kafka.auth.GcpLoginCallbackHandler,sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;" : ""

  kafka_properties_secret = var.kafka_mode == "external" ? "${google_secret_manager_secret.kafka_client_properties[0].id}/versions/latest" : ""
}
