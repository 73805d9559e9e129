terraform {
  required_version = ">= 1.5.0"

  # Each minimum is the release with a fix or resource this configuration relies on
  # (the providers' CHANGELOG.md); the two providers are released together and kept in step.
  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.12.0: google_managed_kafka_cluster and google_managed_kafka_topic. 6.40.0: kept equal
      # to google-beta's minimum.
      version = ">= 6.40.0, < 8.0.0"
    }
    google-beta = {
      source = "hashicorp/google-beta"
      # 6.40.0: network, subnetwork, num_workers, max_num_workers and machine_type no longer
      # show a permanent diff on google_dataflow_flex_template_job. Before it every plan saw a
      # change, and max_workers forces a new job: each apply would drain and relaunch the stream.
      version = ">= 6.40.0, < 8.0.0"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}

# The streaming job's resource (google_dataflow_flex_template_job) is in the beta provider.
provider "google-beta" {
  project = var.project_id
  region  = var.region
}
