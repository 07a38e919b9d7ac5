#!/usr/bin/env bash
# Builds a local Node base image without any registry: a rootfs holding this machine's node binary
# and the shared libraries it links, a non-root user "node" (uid 1000) and /tmp, imported with
# `docker import`. Pass it to the base image build as BASE_IMAGE (scripts/build-image.mjs does,
# when MANIFOLD_BASE_IMAGE names it). Prints the image reference on the last line.
#
#   scripts/docker-base.sh [image-ref]      default: manifold/node-local:<node version>
set -euo pipefail

node_bin=$(readlink -f "$(command -v node)")
version=$("$node_bin" --version)
ref=${1:-manifold/node-local:${version#v}}

if docker image inspect "$ref" >/dev/null 2>&1; then
  echo "$ref already exists" >&2
  echo "$ref"
  exit 0
fi

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/tmp" "$root/etc" "$root/home/node" "$root/airbyte/integration_code"
chmod 1777 "$root/tmp"
cp "$node_bin" "$root/usr/local/bin/node"

# The loader and every library `ldd` lists, at the same paths.
ldd "$node_bin" | grep -oE '/[^ ]+' | sort -u | while read -r lib; do
  [ -e "$lib" ] || continue
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# Debian keeps /lib64 and /lib as symlinks into /usr; the copies above used the real paths ldd gave.

cat > "$root/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
node:x:1000:1000:node:/home/node:/sbin/nologin
PASSWD
cat > "$root/etc/group" <<'GROUP'
root:x:0:
node:x:1000:
GROUP
echo "hosts: files dns" > "$root/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
# CA roots for HTTPS APIs (node also carries its own bundle).
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$root/etc/ssl/certs" && cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
fi
chown -R 1000:1000 "$root/home/node" "$root/airbyte"

tar -C "$root" --numeric-owner -cf - . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  --change 'ENV NODE_VERSION='"${version#v}" \
  --change 'USER node' \
  --change 'CMD ["node"]' \
  - "$ref" >/dev/null
echo "imported $ref ($(docker image inspect -f '{{.Size}}' "$ref" | awk '{printf "%.1f MB", $1/1e6}'))" >&2
echo "$ref"
