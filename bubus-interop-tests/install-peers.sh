#!/usr/bin/env bash
# Installs the reference peers (Python bubus and bubus-ts, from the peers tarball) for the interop tests.
#
#   install-peers.sh TARBALL DEST
#
# TARBALL: the peers tarball (bbus-<commit>.tar.gz). When it does not exist, $BUBUS_SHARED_DIR/peers/<its name> and
#          then shared/peers/<its name> in each directory above this repository are tried (CI lays shared/ beside the
#          clone; a git worktree may sit deeper).
# DEST:    where to install: DEST/bbus (the extracted sources), DEST/tools (Node 22+ and pnpm from the npm registry,
#          when the machine's node is older), DEST/venv (Python with the reference's dependencies), DEST/env (what the
#          tests read: NODE, PYTHON, BUBUS_TS_SRC).
#
# Everything comes from the package registries (npm, PyPI through pip's configured index); every step is bounded.
# A second run with the same tarball and script does nothing.
set -euo pipefail

STEP_TIMEOUT=${INTEROP_STEP_TIMEOUT:-600}
NODE_PACKAGE=node@22
PNPM_PACKAGE=pnpm@10.29.3

die() {
	echo "install-peers.sh: $*" >&2
	exit 1
}

log() {
	echo "install-peers.sh: $*"
}

[[ $# -eq 2 ]] || die "usage: install-peers.sh TARBALL DEST"
tarball=$1
dest=$2
script_dir=$(cd "$(dirname "$0")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)

locate_tarball() {
	local name
	name=$(basename "$tarball")
	if [[ -f $tarball ]]; then
		echo "$tarball"
		return
	fi
	if [[ -n ${BUBUS_SHARED_DIR:-} && -f $BUBUS_SHARED_DIR/peers/$name ]]; then
		echo "$BUBUS_SHARED_DIR/peers/$name"
		return
	fi
	local dir=$repo_root
	while [[ $dir != / ]]; do
		dir=$(dirname "$dir")
		if [[ -f $dir/shared/peers/$name ]]; then
			echo "$dir/shared/peers/$name"
			return
		fi
	done
	die "peers tarball $tarball not found (nor \$BUBUS_SHARED_DIR/peers/$name, nor shared/peers/$name above $repo_root); pass -Dinterop.peers.tarball=PATH or set BUBUS_SHARED_DIR"
}

run() {
	local what=$1
	shift
	local logfile=$dest/logs/$what.log
	if ! timeout "$STEP_TIMEOUT" "$@" >"$logfile" 2>&1; then
		tail -n 40 "$logfile" >&2 || true
		die "$what failed or took longer than ${STEP_TIMEOUT}s: $* (log: $logfile)"
	fi
}

node_major() {
	"$1" -e 'console.log(process.versions.node.split(".")[0])' 2>/dev/null || echo 0
}

tarball=$(locate_tarball)
stamp="$(sha256sum "$tarball" | cut -d' ' -f1) $(sha256sum "$0" | cut -d' ' -f1)"
if [[ -f $dest/env && -f $dest/stamp && $(cat "$dest/stamp") == "$stamp" ]]; then
	log "peers already installed in $dest"
	exit 0
fi

rm -rf "$dest"
mkdir -p "$dest/logs" "$dest/tools"
log "extracting $tarball"
tar -xzf "$tarball" -C "$dest"
bbus=$dest/bbus
[[ -f $bbus/pyproject.toml && -f $bbus/bubus-ts/pnpm-lock.yaml ]] || die "$tarball does not hold bbus/pyproject.toml and bbus/bubus-ts/pnpm-lock.yaml"

# Node: bubus-ts's SQLite bridge needs node:sqlite (Node 22+); the npm registry serves Node itself as a package.
command -v npm >/dev/null || die "npm is needed (apt-get install npm)"
node=$(command -v node || true)
packages=("$PNPM_PACKAGE")
if [[ -z $node ]] || (($(node_major "$node") < 22)); then
	packages+=("$NODE_PACKAGE")
	node=$dest/tools/node_modules/.bin/node
fi
log "installing ${packages[*]} with npm"
run npm npm install --prefix "$dest/tools" --no-save --no-audit --no-fund --no-package-lock "${packages[@]}"
(($(node_major "$node") >= 22)) || die "no Node 22+ at $node after installing ${packages[*]}"
export PATH=$(dirname "$node"):$PATH
log "installing bubus-ts's locked dependencies with $PNPM_PACKAGE (node $("$node" --version))"
(cd "$bbus/bubus-ts" && CI=true run pnpm "$dest/tools/node_modules/.bin/pnpm" install --frozen-lockfile)

# Python: a venv with the reference's dependencies (pyproject.toml: dependencies and the bridges extra).
python=""
for candidate in python3 python3.13 python3.12 python3.11; do
	if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
		python=$(command -v "$candidate")
		break
	fi
done
[[ -n $python ]] || die "Python 3.11+ is needed for Python bubus"
run venv "$python" -m venv "$dest/venv"
venv_python=$dest/venv/bin/python
mapfile -t requirements < <("$venv_python" - "$bbus/pyproject.toml" <<'PY'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], 'rb'))['project']
for requirement in project['dependencies'] + project['optional-dependencies']['bridges']:
    print(requirement)
PY
)
others=()
for requirement in "${requirements[@]}"; do
	[[ $requirement == uuid7* ]] || others+=("$requirement")
done
log "installing Python dependencies: ${others[*]}"
run pip "$venv_python" -m pip install --retries 1 --timeout 30 "${others[@]}"
# uuid7 (module uuid_extensions) is not served by every index; when it is missing, a stand-in module with the one
# function bubus uses (uuid7str) is written, on top of uuid-utils (a maintained UUIDv7 implementation).
site_packages=$("$venv_python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
if "$venv_python" -m pip install --retries 1 --timeout 30 'uuid7>=0.1.0' >"$dest/logs/uuid7.log" 2>&1; then
	log "uuid7 installed from the index"
else
	log "uuid7 is not served by the index; installing uuid-utils and a uuid_extensions stand-in"
	run uuid-utils "$venv_python" -m pip install --retries 1 --timeout 30 'uuid-utils>=0.9'
	cat >"$site_packages/uuid_extensions.py" <<'PY'
"""Stand-in for the uuid7 package's uuid_extensions module (uuid7str), on top of uuid-utils."""

import uuid

import uuid_utils


def uuid7() -> uuid.UUID:
    return uuid.UUID(str(uuid_utils.uuid7()))


def uuid7str() -> str:
    return str(uuid_utils.uuid7())
PY
fi
# bubus itself from the extracted source (its build backend, uv_build, is not needed for that)
echo "$bbus" >"$site_packages/bubus-source.pth"
run import-bubus "$venv_python" -c 'import bubus, bubus.bridge_sqlite, bubus.bridge_postgres, bubus.bridge_redis, bubus.bridge_nats'

cat >"$dest/env" <<EOF
NODE=$node
PYTHON=$venv_python
BUBUS_TS_SRC=$bbus/bubus-ts/src
BUBUS_TS_DIR=$bbus/bubus-ts
EOF
echo "$stamp" >"$dest/stamp"
log "peers installed in $dest (node $("$node" --version), $("$venv_python" --version))"
