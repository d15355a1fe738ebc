#!/usr/bin/env bash
# Moleculer 0.14's transit waits a fixed 500 ms after connecting, for the other nodes'
# INFO, before any service of the node starts (transit.js, afterConnect). A live node
# restarted with its screens waiting spends that half second admitting nobody: it listens
# after about 0.45 s and admitted about 1.05 s after it started. The patch makes the wait
# the transit option `discoveryWaitMs` (500 when unset, so every other node is unchanged);
# moleculer.config.ts shortens it for nodes that run only live channels, which admit
# screens once the services they call are listed anyway (services/live/known-by-peers.ts).
# Applied by npm's postinstall; fails loudly if a Moleculer upgrade moved the line.
set -euo pipefail
source "$(dirname "$0")/lib/patch-line.sh"
file="$(dirname "$0")/../node_modules/moleculer/src/transit.js"
patched='.delay(this.opts.discoveryWaitMs ?? 500) // Waiting for incoming INFO packets (SmartQueue patch)'
patch_line "$file" '\.delay(500) // Waiting for incoming INFO packets$' "$patched" "Moleculer discovery-wait"
