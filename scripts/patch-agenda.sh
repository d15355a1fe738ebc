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

# Agenda fills its queue of a job name (a findAndModify locking the next due job, then
# again until none is left) from its polls and from the notifications of jobs saved on
# this node (services/scheduler/job-announcements.ts), and the two may run at once. On
# FerretDB that lock is not exclusive: two fills of one name at once both locked the same
# job, which then ran twice on one node. The patch makes a name's fills follow one
# another; the fill itself is unchanged (its body becomes `fillQueueOnce`).
fill_chained='    jobQueueFilling(name) { const chains = (this.fillChains ??= new Map()); const fill = () => this.fillQueueOnce(name); const filled = (chains.get(name) ?? Promise.resolve()).then(fill, fill); chains.set(name, filled); const forget = () => { if (chains.get(name) === filled) chains.delete(name); }; filled.then(forget, forget); return filled; } async fillQueueOnce(name) { // SmartQueue patch: one fill of a name at a time'
patch_line "$file" '^    async jobQueueFilling(name) {$' "$fill_chained" "Agenda one-fill-per-name"
patch_line "$file" '^                await this.jobQueueFilling(name);$' '                await this.fillQueueOnce(name); // SmartQueue patch: the next job of the same fill' "Agenda one-fill-per-name recursion"

# A job due within a poll is kept in the processor's queue with one timer for its due
# time (`gotTimerToExecute`). Node's timer may fire a millisecond before `Date` says the
# job is due (timers run on the monotonic clock, `Date` is whole milliseconds): the job is
# then put back in the queue still "in the future", but its one timer is spent, so it
# waited for the next poll (a minute apart in test/scheduler/announcements.test.ts,
# which failed about one run in eight). The patch lets the timer, once fired, be set again.
patch_line "$file" '^                                this.jobProcessing();$' '                                job.gotTimerToExecute = false; this.jobProcessing(); // SmartQueue patch: a timer fired early is set again' "Agenda early-timer"
