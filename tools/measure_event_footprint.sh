#!/usr/bin/env bash
# The store's footprint of a Deployment's pods with their Events, right after it settles and
# after an hour of cluster time (KUBELITE_NOW stepped past --event-ttl, then two compactor
# ticks five minutes apart, as kube-apiserver's compactor runs), and the time of a one-shot
# `get pods` before and after (the housekeeping every command runs first).
#
#   cargo build --release && tools/measure_event_footprint.sh [replicas ...]   (default 1000)
set -euo pipefail
BIN=${BIN:-target/release/kubelite}
T0=2026-12-01T00:00:00Z

for N in "${@:-1000}"; do
  H=$(mktemp -d)
  run() { local now=$1; shift; KUBELITE_HOME=$H KUBELITE_NOW=$now KUBELITE_WORKERS=100 KUBECONFIG= "$BIN" "$@"; }
  size() { stat -c %s "$H/cluster.redb"; }
  kb() { echo $(( ($1 + 512) / 1024 )); }
  run $T0 get ns >/dev/null
  empty=$(size)
  printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: %s\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n' "$N" >"$H/d.yaml"
  run $T0 create -f "$H/d.yaml" >/dev/null
  for _ in $(seq 1 60); do
    [ "$(run $T0 get deploy web -o 'jsonpath={.status.availableReplicas}')" = "$N" ] && break
  done
  settled=$(size)
  events=$(run $T0 get events -A --no-headers 2>/dev/null | wc -l)
  start=$(date +%s%N)
  for _ in $(seq 1 10); do run $T0 get pods >/dev/null; done
  get_before=$(( ($(date +%s%N) - start) / 10000000 ))
  for t in 01:01:01 01:06:01 01:11:01; do run 2026-12-01T${t}Z get deploy web >/dev/null; done
  later=2026-12-01T01:11:01Z
  after=$(size)
  events_after=$(run $later get events -A --no-headers 2>/dev/null | wc -l)
  start=$(date +%s%N)
  for _ in $(seq 1 10); do run $later get pods >/dev/null; done
  get_after=$(( ($(date +%s%N) - start) / 10000000 ))
  echo "$N replicas: empty cluster $(kb "$empty") KB"
  echo "  settled:       file $(kb "$settled") KB, $events events, $(( (settled - empty) / N )) bytes a pod; get pods ${get_before} ms"
  echo "  1h10m later:   file $(kb "$after") KB, $events_after events, $(( (after - empty) / N )) bytes a pod; get pods ${get_after} ms"
  rm -rf "$H"
done
