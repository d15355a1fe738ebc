#!/usr/bin/env bash
# Agenda 6.2's JobProcessor checks that a running job still holds its lock with
# `await delay(lockLifetime / 2)`, a setTimeout that is never unref'd and never cleared,
# so every process that ran a job lingers up to half a lock lifetime (5 min by default)
# after it has stopped everything else: tests could only end with mocha's `exit: true`,
# which also hid any handle a test really leaked. The patch unrefs that one timer; a
# running job keeps the process alive by its own I/O, so nothing else changes.
# Applied by npm's postinstall; fails loudly if an Agenda upgrade moved the line.
set -euo pipefail
source "$(dirname "$0")/lib/patch-line.sh"
file="$(dirname "$0")/../node_modules/agenda/dist/JobProcessor.js"
patched='const delay = (ms) => new Promise(resolve => setTimeout(resolve, ms).unref()); // SmartQueue patch'
patch_line "$file" '^const delay = (ms) => new Promise(resolve => setTimeout(resolve, ms));$' "$patched" "Agenda liveness-timer"
