# The Dataflow workers' network: private IPs only (Private Google Access for Google's APIs), and
# a firewall that lets in only what workers need from each other.
resource "google_compute_network" "dataflow" {
  name                    = "${var.name}-net"
  auto_create_subnetworks = false
  depends_on              = [google_project_service.apis]
}

resource "google_compute_subnetwork" "dataflow" {
  name                     = "${var.name}-dataflow"
  region                   = var.region
  network                  = google_compute_network.dataflow.id
  ip_cidr_range            = var.subnet_cidr
  private_ip_google_access = true
}

# Dataflow workers exchange data on TCP 12345-12346; nothing else may come in (the VPC denies all
# other ingress by default). Workers carry the network tag "dataflow".
resource "google_compute_firewall" "dataflow_workers" {
  name          = "${var.name}-dataflow-workers"
  network       = google_compute_network.dataflow.id
  direction     = "INGRESS"
  priority      = 1000
  source_tags   = ["dataflow"]
  target_tags   = ["dataflow"]
  source_ranges = [var.subnet_cidr]

  allow {
    protocol = "tcp"
    ports    = ["12345-12346"]
  }
}

# An external broker outside Google Cloud: private workers reach it through Cloud NAT.
resource "google_compute_router" "nat" {
  count   = var.kafka_mode == "external" ? 1 : 0
  name    = "${var.name}-nat-router"
  region  = var.region
  network = google_compute_network.dataflow.id
}

resource "google_compute_router_nat" "nat" {
  count                              = var.kafka_mode == "external" ? 1 : 0
  name                               = "${var.name}-nat"
  router                             = google_compute_router.nat[0].name
  region                             = var.region
  nat_ip_allocate_option             = "AUTO_ONLY"
  source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"

  subnetwork {
    name                    = google_compute_subnetwork.dataflow.id
    source_ip_ranges_to_nat = ["ALL_IP_RANGES"]
  }
}
