#!/bin/bash
# Provenance: copied from the team's ../shared/kube/put-loopback-endpoints.sh (2026-12-02); etcd's port now comes
# from ETCD_PORT (default 2379) as in start.sh.
# Writes a core/v1 Endpoints object straight into etcd, bypassing API validation,
# because kube-apiserver rejects loopback endpoint IPs (127.0.0.0/8, ::1) with
#   subsets[0].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range
# The apiserver's storage decoder accepts JSON, and its watch cache picks the change up.
# Usage: put-loopback-endpoints.sh NAMESPACE SERVICE PORT [PORT_NAME=https] [IP=127.0.0.1]
#        put-loopback-endpoints.sh --delete NAMESPACE SERVICE
set -euo pipefail
E="etcdctl --endpoints=http://127.0.0.1:${ETCD_PORT:-2379}"
export ETCDCTL_API=3
if [ "${1:-}" = "--delete" ]; then
  $E del "/registry/services/endpoints/$2/$3"; exit 0
fi
NS=$1 NAME=$2 PORT=$3 PNAME=${4:-https} IP=${5:-127.0.0.1}
case "$IP" in 127.*|::1) ;; *) echo "refusing non-loopback IP $IP"; exit 1;; esac
UID_=$(cat /proc/sys/kernel/random/uuid)
TS=$(date -u +%Y-%m-%dT%H:%M:%SZ)
JSON=$(printf '{"kind":"Endpoints","apiVersion":"v1","metadata":{"name":"%s","namespace":"%s","uid":"%s","creationTimestamp":"%s"},"subsets":[{"addresses":[{"ip":"%s"}],"ports":[{"name":"%s","port":%s,"protocol":"TCP"}]}]}' \
  "$NAME" "$NS" "$UID_" "$TS" "$IP" "$PNAME" "$PORT")
$E put "/registry/services/endpoints/$NS/$NAME" "$JSON"
