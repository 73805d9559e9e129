#!/usr/bin/env bash
# Builds and publishes Streamify's two Flex Templates with Cloud Build (templates/cloudbuild.yaml:
# package, one image per pipeline in Artifact Registry, a spec per pipeline in the templates
# bucket), then prints the `gcloud dataflow flex-template run` command for each job.
#
# usage: templates/build.sh [--project P] [--region R] [--bucket TEMPLATES_BUCKET]
#                           [--repository REPO] [--service-account EMAIL] [--tag TAG] [--print-only]
# Values not given come from `terraform output` in terraform/ when it has been applied. The build
# runs as the build service account (terraform output build_service_account), with the source
# staged in the templates bucket, which that account may read.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The Terraform configuration whose outputs fill in what is not given (tests point it elsewhere).
tf_dir=${STREAMIFY_TERRAFORM_DIR:-$root/terraform}

# A terraform output, or empty when there is no applied state (or no terraform).
tf_output() {
  if command -v terraform >/dev/null 2>&1 && [ -d "$tf_dir/.terraform" ]; then
    terraform -chdir="$tf_dir" output -raw "$1" 2>/dev/null || true
  fi
}

project="" region="" bucket="" repository="" build_sa="" tag="" print_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --project) project=${2:?--project needs a value}; shift 2 ;;
    --region) region=${2:?--region needs a value}; shift 2 ;;
    --bucket) bucket=${2:?--bucket needs a value}; shift 2 ;;
    --repository) repository=${2:?--repository needs a value}; shift 2 ;;
    --service-account) build_sa=${2:?--service-account needs a value}; shift 2 ;;
    --tag) tag=${2:?--tag needs a value}; shift 2 ;;
    --print-only) print_only=true; shift ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "templates/build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
project=${project:-$(tf_output project_id)}
region=${region:-$(tf_output region)}
bucket=${bucket:-$(tf_output templates_bucket)}
repository=${repository:-$(tf_output artifact_repository)}
repository=${repository:-streamify}
build_sa=${build_sa:-$(tf_output build_service_account)}
tag=${tag:-$(tf_output template_tag)}
tag=${tag:-latest}
required="project region bucket"
$print_only || required="$required build_sa"
for v in $required; do
  if [ -z "${!v}" ]; then
    flag=$v; [ "$v" = build_sa ] && flag=service-account
    echo "templates/build.sh: no --$flag given and no terraform output to take it from" >&2
    exit 2
  fi
done

if ! $print_only; then
  command -v gcloud >/dev/null 2>&1 || {
    echo "templates/build.sh: gcloud not found: install the Google Cloud CLI" >&2; exit 2; }
  gcloud builds submit "$root" --project="$project" --region="$region" \
    --config="$root/templates/cloudbuild.yaml" \
    --service-account="projects/$project/serviceAccounts/$build_sa" \
    --gcs-source-staging-dir="gs://$bucket/source" \
    --substitutions="_REGION=$region,_REPOSITORY=$repository,_TEMPLATE_BUCKET=$bucket,_TAG=$tag"
fi

sa=$(tf_output dataflow_service_account)
subnet=$(tf_output subnetwork)
lake=$(tf_output lake_url)
kafka=$(tf_output kafka_bootstrap_servers)
kafka_props=$(tf_output kafka_client_properties)
kafka_secret=$(tf_output kafka_properties_secret)
warehouse=$(tf_output warehouse)
# The job names are Terraform's: Dataflow refuses a second active job of one name, which is what
# keeps a manual run from overlapping a scheduled one (and a second stream job from starting).
stream_job=$(tf_output stream_job_name)
hourly_job=$(tf_output hourly_job_name)
temp=$(tf_output dataflow_temp_location)
staging=$(tf_output dataflow_staging_location)
stream_params="bootstrapServers=${kafka:-<KAFKA_HOST:9092>}~lake=${lake:-gs://<LAKE_BUCKET>/lake}"
if [ -n "$kafka_secret" ]; then
  stream_params="$stream_params~kafkaPropertiesSecret=$kafka_secret"
else
  stream_params="$stream_params~kafkaProperties=${kafka_props:-security.protocol=SASL_SSL,...}"
fi
cat <<TEXT

Templates: gs://$bucket/templates/$tag/stream-pipeline.json, gs://$bucket/templates/$tag/hourly-pipeline.json
Images:    $region-docker.pkg.dev/$project/$repository/streamify-{stream,hourly}:$tag

Start the stream job (once; it runs until drained):
  gcloud dataflow flex-template run ${stream_job:-<STREAM_JOB_NAME>} \\
    --project=$project --region=$region \\
    --template-file-gcs-location=gs://$bucket/templates/$tag/stream-pipeline.json \\
    --service-account-email=${sa:-<DATAFLOW_SERVICE_ACCOUNT>} \\
    --temp-location=${temp:-gs://$bucket/temp} --staging-location=${staging:-gs://$bucket/staging} \\
    --subnetwork=${subnet:-<SUBNETWORK>} --disable-public-ips --enable-streaming-engine \\
    --parameters="^~^$stream_params"

Run the hourly job by hand (Cloud Scheduler runs it every hour; add fromHour=... to backfill).
The job name is the scheduler's: Dataflow refuses a second active job of one name, so a manual
run and a scheduled one never rebuild the dimensions at the same time.
  gcloud dataflow flex-template run ${hourly_job:-<HOURLY_JOB_NAME>} \\
    --project=$project --region=$region \\
    --template-file-gcs-location=gs://$bucket/templates/$tag/hourly-pipeline.json \\
    --service-account-email=${sa:-<DATAFLOW_SERVICE_ACCOUNT>} \\
    --temp-location=${temp:-gs://$bucket/temp} --staging-location=${staging:-gs://$bucket/staging} \\
    --subnetwork=${subnet:-<SUBNETWORK>} --disable-public-ips \\
    --parameters=lake=${lake:-gs://<LAKE_BUCKET>/lake},warehouse=${warehouse:-$project:streamify},hour=$(date -u -d "1 hour ago" +%Y-%m-%dT%H)
TEXT
