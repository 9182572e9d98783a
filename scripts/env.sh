# shellcheck shell=bash
# Project environment for every Makefile recipe, and for a developer shell:
#     . scripts/env.sh
# Puts the pinned JS toolchain (tools/node_modules/.bin: bun 1.4.4, node 22) and the project venv
# first on PATH and keeps Reflex from reaching anything but the package registries.
# Paths are derived from this file's location, so the repo works from any checkout folder.

if [ -n "${BASH_SOURCE[0]:-}" ]; then
    VCC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
else
    VCC_ROOT="$(pwd)"   # other shells: source it from the repo root
fi
export VCC_ROOT

case ":$PATH:" in
    *":$VCC_ROOT/tools/node_modules/.bin:$VCC_ROOT/.venv/bin:"*) ;;
    *) export PATH="$VCC_ROOT/tools/node_modules/.bin:$VCC_ROOT/.venv/bin:$PATH" ;;
esac

# Use the bun on PATH (tools/). Without it Reflex runs bun's install script, which is not reachable.
export REFLEX_USE_SYSTEM_BUN=1
export REFLEX_TELEMETRY_ENABLED=false
# No PyPI "newer Reflex available" probe at every start.
export REFLEX_CHECK_LATEST_VERSION=false
# A registry set explicitly makes Reflex skip its registry latency probe; take the one npm uses.
if [ -z "${NPM_CONFIG_REGISTRY:-}" ]; then
    NPM_CONFIG_REGISTRY="$(npm config get registry 2>/dev/null || true)"
    if [ -n "$NPM_CONFIG_REGISTRY" ]; then export NPM_CONFIG_REGISTRY; else unset NPM_CONFIG_REGISTRY; fi
fi
