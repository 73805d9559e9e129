# Optional (generator_enabled, off by default): the event generator on a small Container-Optimized
# OS VM in the workers' subnet, producing to Managed Kafka in continuous mode (real time) as its
# own service account, whose only project role is the Kafka client's. It runs the generator image
# templates/build.sh publishes (streamify-generator:TAG), so apply with generator_enabled = true
# once the templates are built. No public IP (Private Google Access reaches Artifact Registry and
# Kafka's bootstrap); SSH only through IAP (terraform output generator_ssh: gcloud compute ssh
# --tunnel-through-iap, which needs roles/iap.tunnelResourceAccessor, and OS Login). The container starts from a startup script: the
# COS container startup agent (gce-container-declaration metadata) is deprecated.
locals {
  generator_zone  = "${var.region}-b"
  generator_image = "${var.region}-docker.pkg.dev/${var.project_id}/${var.name}/streamify-generator:${var.template_tag}"

  # --first-session-id=clock: each start (also Docker's restart of the container) numbers its
  # sessions from its start second times 1000, so a restarted generator never reuses an event
  # identity (sessionId, itemInSession) of the events before.
  generator_args = join(" ", concat([
    "--mode=continuous", "--sink=kafka", "--users=${var.generator_users}",
    "--bootstrap-servers=${local.kafka_bootstrap_servers}", "-q",
    "--first-session-id=clock",
    ], [for p in split(",", local.kafka_client_properties) : "'--kafka-property=${p}'" if p != ""]
  ))
}

resource "google_service_account" "generator" {
  count        = var.generator_enabled ? 1 : 0
  account_id   = "${var.name}-generator"
  display_name = "Streamify event generator (optional VM)"
  depends_on   = [google_project_service.apis]
}

# Produce to Managed Kafka; pull its image from this repository only; write its logs (Docker's
# gcplogs driver writes to Cloud Logging, and checks it may when the container starts).
resource "google_project_iam_member" "generator_logs" {
  count   = var.generator_enabled ? 1 : 0
  project = var.project_id
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:${google_service_account.generator[0].email}"
}

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
  zone         = local.generator_zone
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

  # Runs at every boot: pull the image (retrying while a grant propagates), then (re)start the
  # generator container, which Docker restarts if it stops. A change to the script (users, tag,
  # Kafka address) replaces the VM, so it takes effect; a new image under the same tag is pulled
  # at the next boot.
  metadata_startup_script = <<-SCRIPT
    #!/bin/bash
    set -eu
    export HOME=/home/streamify && mkdir -p "$HOME"
    docker-credential-gcr configure-docker --registries=${var.region}-docker.pkg.dev
    until docker pull ${local.generator_image}; do sleep 30; done
    docker rm -f streamify-generator 2>/dev/null || true
    docker run -d --name streamify-generator --restart=always --log-driver=gcplogs \
      ${local.generator_image} ${local.generator_args}
  SCRIPT

  metadata = {
    enable-oslogin         = "TRUE"
    block-project-ssh-keys = "TRUE"
  }

  # A new machine type stops and restarts the VM instead of failing the apply.
  allow_stopping_for_update = true

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
    google_project_iam_member.generator_logs,
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
