# Optional (generator_enabled, off by default): the event generator on a small Container-Optimized
# OS VM in the workers' subnet, producing to Managed Kafka in continuous mode (real time) as its
# own service account, whose only project role is the Kafka client's. It runs the generator image
# templates/build.sh publishes (streamify-generator:TAG), so apply with generator_enabled = true
# once the templates are built. No public IP (Private Google Access reaches Artifact Registry and
# Kafka's bootstrap); SSH only through IAP (gcloud compute ssh NAME-generator --tunnel-through-iap,
# which needs roles/iap.tunnelResourceAccessor). The container starts from a startup script: the
# COS container startup agent (gce-container-declaration metadata) is deprecated.
locals {
  generator_image = "${var.region}-docker.pkg.dev/${var.project_id}/${var.name}/streamify-generator:${var.template_tag}"

  # Session ids start above any earlier start's (seconds since 1970, times 1000), so a restarted
  # generator never reuses an event identity (sessionId, itemInSession) of the events before.
  generator_args = join(" ", concat([
    "--mode=continuous", "--sink=kafka", "--users=${var.generator_users}",
    "--bootstrap-servers=${local.kafka_bootstrap_servers}", "-q",
    "--first-session-id=$(( $(date +%s) * 1000 ))",
    ], [for p in split(",", local.kafka_client_properties) : "'--kafka-property=${p}'" if p != ""]
  ))
}

resource "google_service_account" "generator" {
  count        = var.generator_enabled ? 1 : 0
  account_id   = "${var.name}-generator"
  display_name = "Streamify event generator (optional VM)"
  depends_on   = [google_project_service.apis]
}

# Produce to Managed Kafka; pull its image from this repository only; write its logs.
resource "google_project_iam_member" "generator_kafka" {
  count   = var.generator_enabled ? 1 : 0
  project = var.project_id
  role    = "roles/managedkafka.client"
  member  = "serviceAccount:${google_service_account.generator[0].email}"
}

resource "google_artifact_registry_repository_iam_member" "generator" {
  count      = var.generator_enabled ? 1 : 0
  location   = google_artifact_registry_repository.templates.location
  repository = google_artifact_registry_repository.templates.name
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.generator[0].email}"
}

resource "google_compute_instance" "generator" {
  count        = var.generator_enabled ? 1 : 0
  name         = "${var.name}-generator"
  zone         = "${var.region}-b"
  machine_type = var.generator_machine_type
  tags         = ["streamify-generator"]
  labels       = local.labels

  boot_disk {
    initialize_params {
      image = "cos-cloud/cos-stable"
    }
  }

  # No access_config: no external IP.
  network_interface {
    subnetwork = google_compute_subnetwork.dataflow.id
  }

  shielded_instance_config {
    enable_secure_boot          = true
    enable_vtpm                 = true
    enable_integrity_monitoring = true
  }

  service_account {
    email  = google_service_account.generator[0].email
    scopes = ["cloud-platform"]
  }

  metadata = {
    # Runs at every boot: (re)start the generator container, restarted by Docker if it stops.
    startup-script = <<-SCRIPT
      #!/bin/bash
      set -eu
      export HOME=/home/streamify && mkdir -p "$HOME"
      docker-credential-gcr configure-docker --registries=${var.region}-docker.pkg.dev
      docker rm -f streamify-generator 2>/dev/null || true
      docker run -d --name streamify-generator --restart=always --log-driver=gcplogs \
        ${local.generator_image} ${local.generator_args}
    SCRIPT
  }

  lifecycle {
    precondition {
      condition     = var.kafka_mode == "managed" && var.kafka_bootstrap_address != ""
      error_message = "generator_enabled needs Managed Kafka and kafka_bootstrap_address (the generator authenticates to Managed Kafka as its own service account)."
    }
    precondition {
      condition     = var.templates_built
      error_message = "generator_enabled needs templates_built = true: the VM runs the generator image templates/build.sh publishes."
    }
  }

  depends_on = [
    google_project_iam_member.generator_kafka,
    google_artifact_registry_repository_iam_member.generator,
    google_managed_kafka_topic.events,
  ]
}

# SSH to the generator VM only through IAP's TCP forwarding range.
resource "google_compute_firewall" "generator_iap_ssh" {
  count         = var.generator_enabled ? 1 : 0
  name          = "${var.name}-generator-iap-ssh"
  network       = google_compute_network.dataflow.id
  direction     = "INGRESS"
  priority      = 1000
  source_ranges = ["35.235.240.0/20"]
  target_tags   = ["streamify-generator"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}
