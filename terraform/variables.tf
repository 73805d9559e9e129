variable "project_id" {
  description = "The Google Cloud project to deploy Streamify into."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a project ID: 6-30 lowercase letters, digits or hyphens."
  }
}

variable "region" {
  description = "Region of every regional resource: Dataflow jobs, the subnet, Kafka, Artifact Registry, Cloud Scheduler."
  type        = string
  default     = "europe-west1"

  # Regions are a geography, a direction and a number: europe-west1, europe-west10, us-east5,
  # northamerica-northeast2, me-central2, africa-south1 (cloud.google.com/compute/docs/regions-zones).
  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]{1,2}$", var.region))
    error_message = "region must be a Google Cloud region such as europe-west1 or europe-west10."
  }
}

variable "name" {
  description = "Prefix of resource names (buckets add the project ID to be globally unique). 3-20 characters: the longest name made from it, the service account id name-scheduler, may have 30."
  type        = string
  default     = "streamify"

  # The tightest limit on a name made from it: a service account id is 6-30 characters
  # ^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$, and name-scheduler adds 10. The Artifact Registry
  # repository is the name itself, so it ends in a letter or digit. Bucket names may not contain
  # "google". TerraformTest.everyGeneratedNameIsValidForTheShortestAndLongestName checks every
  # generated name against its resource's rule.
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", var.name)) && !strcontains(var.name, "google")
    error_message = "name must be 3-20 lowercase letters, digits or hyphens, start with a letter, end with a letter or digit, and not contain \"google\"."
  }
}

variable "storage_location" {
  description = "Location of the buckets and the BigQuery dataset: a region or a multi-region (EU, US). Keep it with var.region to avoid cross-region traffic."
  type        = string
  default     = "EU"
}

variable "raw_retention_days" {
  description = "Days the lake keeps raw events (events/) and dead letters (deadletter/); 0 keeps them forever. Hours older than this can no longer be backfilled. The hourly pipeline's summaries (curated/), the catalog and the closed-hour marks are never deleted: the dimensions are rebuilt from them."
  type        = number
  default     = 90

  validation {
    condition     = var.raw_retention_days == 0 || var.raw_retention_days >= 7
    error_message = "raw_retention_days must be 0 (keep forever) or at least 7, so the hourly job's catch-up window (hourly_catch_up_hours, a week by default) finds its hours."
  }
}

variable "bigquery_dataset" {
  description = "The BigQuery dataset of the warehouse."
  type        = string
  default     = "streamify"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,1024}$", var.bigquery_dataset))
    error_message = "bigquery_dataset may only hold letters, digits and underscores."
  }
}

variable "partition_expiration_days" {
  description = "Days BigQuery keeps each day partition of the raw and fact tables; 0 keeps them forever. The hourly job refuses (or, catching up, skips) hours older than this: BigQuery would drop their rows as they load."
  type        = number
  default     = 0

  validation {
    condition     = var.partition_expiration_days == 0 || var.partition_expiration_days >= 2
    error_message = "partition_expiration_days must be 0 (keep forever) or at least 2."
  }
}

variable "deletion_protection" {
  description = "Protect the BigQuery tables and the lake bucket from terraform destroy (set false only to tear everything down)."
  type        = bool
  default     = true
}

variable "kafka_mode" {
  description = "managed: a Google Cloud Managed Service for Apache Kafka cluster with the four topics; external: an existing broker given by kafka_bootstrap_servers."
  type        = string
  default     = "managed"

  validation {
    condition     = contains(["managed", "external"], var.kafka_mode)
    error_message = "kafka_mode must be managed or external."
  }
}

variable "kafka_bootstrap_servers" {
  description = "external mode: the broker's bootstrap servers, host:port[,host:port...]."
  type        = string
  default     = ""

  validation {
    condition     = var.kafka_bootstrap_servers == "" || can(regex("^[A-Za-z0-9._-]+:[0-9]{1,5}(,[A-Za-z0-9._-]+:[0-9]{1,5})*$", var.kafka_bootstrap_servers))
    error_message = "kafka_bootstrap_servers must be host:port[,host:port...]."
  }
}

variable "kafka_client_properties_secret" {
  description = "external mode: the Secret Manager secret ID that holds the Kafka client settings (SASL/TLS, one key=value per line). Terraform creates the empty secret and grants the workers access; add the value with `gcloud secrets versions add`, so it is never in the state or the repository."
  type        = string
  default     = "streamify-kafka-client-properties"
}

variable "kafka_bootstrap_address" {
  description = "managed mode: the cluster's bootstrap address as the cluster reports it, without a port. The provider does not export it yet, so it is read once the cluster exists: gcloud managed-kafka clusters describe NAME-kafka --location=REGION --format='value(bootstrapAddress)'. The stream job cannot start without it."
  type        = string
  default     = ""

  validation {
    condition     = var.kafka_bootstrap_address == "" || can(regex("^bootstrap[.-][a-z0-9.-]+\\.managedkafka\\.[a-z0-9.-]+$", var.kafka_bootstrap_address))
    error_message = "kafka_bootstrap_address must be the cluster's bootstrapAddress, such as bootstrap-abc123.c0aad26f.europe-west1.managedkafka.s.cloud.goog (no port)."
  }
}

variable "kafka_vcpu_count" {
  description = "managed mode: vCPUs of the Kafka cluster (at least 3)."
  type        = number
  default     = 3

  validation {
    condition     = var.kafka_vcpu_count >= 3
    error_message = "A Managed Kafka cluster has at least 3 vCPUs."
  }
}

variable "kafka_memory_gib" {
  description = "managed mode: memory of the Kafka cluster in GiB, 1 to 8 per vCPU (kafka_vcpu_count)."
  type        = number
  default     = 3

  # Managed Kafka's capacity rule, a vCPU:GiB ratio between 1:1 and 1:8, involves
  # kafka_vcpu_count too: checked at plan time by a precondition of the cluster (kafka.tf).
  validation {
    condition     = floor(var.kafka_memory_gib) == var.kafka_memory_gib && var.kafka_memory_gib >= 3
    error_message = "kafka_memory_gib must be a whole number of GiB, at least 3 (one per vCPU of the smallest cluster)."
  }
}

variable "kafka_partitions" {
  description = "managed mode: partitions per topic."
  type        = number
  default     = 4

  validation {
    condition     = var.kafka_partitions >= 1
    error_message = "kafka_partitions must be >= 1."
  }
}

variable "subnet_cidr" {
  description = "IP range of the Dataflow workers' subnet (private IPs only)."
  type        = string
  default     = "10.10.0.0/20"

  validation {
    condition     = can(cidrhost(var.subnet_cidr, 0))
    error_message = "subnet_cidr must be a CIDR range such as 10.10.0.0/20."
  }
}

variable "hourly_schedule" {
  description = "Cron (UTC) of the hourly job. The default runs 10 minutes past the hour, after the stream job's allowed lateness has closed the hour."
  type        = string
  default     = "10 * * * *"
}

variable "hourly_catch_up_hours" {
  description = "How far back, in hours, each scheduled hourly run looks for closed hours that are not loaded yet or changed since their load (the template's catchUpHours). An hour left unloaded for longer than this is no longer found: backfill it with fromHour and hour. Keep it within raw_retention_days."
  type        = number
  default     = 168

  validation {
    condition     = var.hourly_catch_up_hours >= 1 && var.hourly_catch_up_hours <= 2160 && floor(var.hourly_catch_up_hours) == var.hourly_catch_up_hours
    error_message = "hourly_catch_up_hours must be a whole number of hours, 1..2160 (90 days)."
  }
}

variable "hourly_max_hours_per_run" {
  description = "The most hours one scheduled hourly run loads, oldest first (the template's maxHoursPerRun); the next run goes on with the rest, so after an outage the backlog drains by this many hours minus one per run."
  type        = number
  default     = 24

  validation {
    condition     = var.hourly_max_hours_per_run >= 1 && var.hourly_max_hours_per_run <= 168 && floor(var.hourly_max_hours_per_run) == var.hourly_max_hours_per_run
    error_message = "hourly_max_hours_per_run must be a whole number, 1..168."
  }
}

variable "hourly_unloaded_alert_minutes" {
  description = "Alert (monitoring.tf) when a closed hour has waited this many minutes after its end without being loaded, as the hourly runs report it, and when no hourly run has reported for this long. A healthy deployment loads an hour about 70 minutes after its end (the stream job's 60-minute allowed lateness, then the run at 10 past), so the default fires once two runs in a row left an hour behind. A multiple of 30 (the log metric's bucket width), 120 to 1380."
  type        = number
  default     = 180

  validation {
    condition     = var.hourly_unloaded_alert_minutes >= 120 && var.hourly_unloaded_alert_minutes <= 1380 && var.hourly_unloaded_alert_minutes % 30 == 0
    error_message = "hourly_unloaded_alert_minutes must be a multiple of 30 between 120 and 1380 (23 hours)."
  }
}

variable "alert_notification_channels" {
  description = "Cloud Monitoring notification channels the alert policies notify, as projects/PROJECT/notificationChannels/ID; empty (the default): incidents open in the console only. An email channel: `gcloud beta monitoring channels create --display-name=\"Streamify alerts\" --type=email --channel-labels=email_address=you@example.com`, then `gcloud beta monitoring channels list --format=\"value(name,displayName)\"` for its name (or the console: Monitoring, Alerting, Edit notification channels)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for c in var.alert_notification_channels : can(regex("^projects/[^/]+/notificationChannels/[0-9]+$", c))])
    error_message = "alert_notification_channels must be channel names such as projects/my-project/notificationChannels/1234567890."
  }
}

variable "hourly_max_workers" {
  description = "Most Dataflow workers of one hourly run."
  type        = number
  default     = 4
}

variable "stream_max_workers" {
  description = "Most Dataflow workers of the streaming job. Immutable in google_dataflow_flex_template_job: a change replaces the job (drains it and starts a new one, which resumes from the committed Kafka offsets)."
  type        = number
  default     = 3
}

variable "worker_machine_type" {
  description = "Machine type of the Dataflow workers."
  type        = string
  default     = "n2-standard-2"
}

variable "template_images_kept" {
  description = "How many of the newest versions of each template image Artifact Registry keeps; older ones are deleted, except the one tagged template_tag."
  type        = number
  default     = 10

  validation {
    condition     = var.template_images_kept >= 2 && floor(var.template_images_kept) == var.template_images_kept
    error_message = "template_images_kept must be a whole number, at least 2 (the current image and one to roll back to)."
  }
}

variable "template_tag" {
  description = "Which published Flex Templates to run: the tag given to templates/build.sh --tag (latest by default); pin a tag to roll out (and back) on purpose."
  type        = string
  default     = "latest"
}

variable "templates_built" {
  description = "Whether templates/build.sh has published the Flex Templates (template_tag). Until then the Cloud Scheduler job is created paused, since every launch would fail, and the stream job cannot start. Leave false on the first apply; set true once the templates exist."
  type        = bool
  default     = false
}

variable "start_stream_job" {
  description = "Start the streaming Dataflow job from its Flex Template; needs templates_built = true."
  type        = bool
  default     = false

}

variable "generator_enabled" {
  description = "Run the event generator on a small VM in the workers' subnet, producing to Managed Kafka in continuous mode (generator.tf). Needs templates_built and kafka_bootstrap_address."
  type        = bool
  default     = false
}

variable "generator_users" {
  description = "generator_enabled: simulated users of the generator VM."
  type        = number
  default     = 1000

  validation {
    condition     = var.generator_users >= 1 && floor(var.generator_users) == var.generator_users
    error_message = "generator_users must be a whole number, at least 1."
  }
}

variable "generator_machine_type" {
  description = "generator_enabled: the generator VM's machine type (1,000 users need little; give more cores for 100,000 and up)."
  type        = string
  default     = "e2-small"
}
