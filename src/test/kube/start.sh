#!/bin/bash
# Provenance: copied from the team's ../shared/kube/start.sh (2026-12-02) and changed to take the binary, the
# directory and the ports from the environment, and to make the PKI and admin.kubeconfig when they are missing
# (formerly done by the build), so a test can run a fresh control plane in a temp dir on free ports.
#
# Start a loopback-only etcd + kube-apiserver (API aggregation enabled).
# Env: KUBE_DIR        run directory: pki/, etcd-data/, logs/, run/*.pid, admin.kubeconfig (default ${TMPDIR:-/tmp}/kube)
#      KUBE_APISERVER  the kube-apiserver binary (default ${KUBE_CACHE:-${TMPDIR:-/tmp}/kube-cache}/bin/kube-apiserver)
#      APISERVER_PORT (6443), ETCD_PORT (2379), ETCD_PEER_PORT (2380): ports on 127.0.0.1
#      AGGREGATOR_ROUTING=true|false (default true), APISERVER_V=2 (log level)
set -euo pipefail
T=$(cd "$(dirname "$0")" && pwd)
K=${KUBE_DIR:-${TMPDIR:-/tmp}/kube}
BIN=${KUBE_APISERVER:-${KUBE_CACHE:-${TMPDIR:-/tmp}/kube-cache}/bin/kube-apiserver}
AP=${APISERVER_PORT:-6443}; EP=${ETCD_PORT:-2379}; EPP=${ETCD_PEER_PORT:-2380}
P=$K/pki
RUN=$K/run
LOGS=$K/logs
mkdir -p $RUN $LOGS $K/etcd-data
chmod 700 $K/etcd-data
[ -x "$BIN" ] || { echo "no kube-apiserver binary at $BIN (build it with build-kube-apiserver.sh)"; exit 1; }
[ -f $P/ca.crt ] || KUBE_DIR=$K bash $T/gen-certs.sh >/dev/null
KC=$K/admin.kubeconfig
if [ ! -f $KC ]; then
  kubectl config --kubeconfig=$KC set-cluster local --server=https://127.0.0.1:$AP --certificate-authority=$P/ca.crt --embed-certs=true >/dev/null
  kubectl config --kubeconfig=$KC set-credentials admin --client-certificate=$P/admin.crt --client-key=$P/admin.key --embed-certs=true >/dev/null
  kubectl config --kubeconfig=$KC set-context local --cluster=local --user=admin >/dev/null
  kubectl config --kubeconfig=$KC use-context local >/dev/null
fi

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# ---- etcd (3.4, from Debian's etcd-server) on 127.0.0.1 only -------------
if alive $RUN/etcd.pid; then
  echo "etcd already running (pid $(cat $RUN/etcd.pid))"
else
  nohup $(command -v etcd) \
    --name=local \
    --data-dir=$K/etcd-data \
    --listen-client-urls=http://127.0.0.1:$EP \
    --advertise-client-urls=http://127.0.0.1:$EP \
    --listen-peer-urls=http://127.0.0.1:$EPP \
    --initial-advertise-peer-urls=http://127.0.0.1:$EPP \
    --initial-cluster=local=http://127.0.0.1:$EPP \
    --initial-cluster-state=new \
    --quota-backend-bytes=2147483648 \
    > $LOGS/etcd.log 2>&1 < /dev/null &
  echo $! > $RUN/etcd.pid
  echo "etcd started (pid $(cat $RUN/etcd.pid))"
fi
for i in $(seq 1 60); do
  if ETCDCTL_API=3 etcdctl --endpoints=http://127.0.0.1:$EP endpoint health >/dev/null 2>&1; then break; fi
  alive $RUN/etcd.pid || { echo "etcd exited; see $LOGS/etcd.log"; tail -20 $LOGS/etcd.log; exit 1; }
  sleep 0.5
  [ $i = 60 ] && { echo "etcd did not become healthy; see $LOGS/etcd.log"; exit 1; }
done
echo "etcd healthy on http://127.0.0.1:$EP"

# ---- kube-apiserver on 127.0.0.1:$AP ------------------------------------
if alive $RUN/kube-apiserver.pid; then
  echo "kube-apiserver already running (pid $(cat $RUN/kube-apiserver.pid))"
else
  nohup $BIN \
    --bind-address=127.0.0.1 \
    --secure-port=$AP \
    --advertise-address=127.0.0.1 \
    --endpoint-reconciler-type=none \
    --etcd-servers=http://127.0.0.1:$EP \
    --service-cluster-ip-range=127.0.96.0/20 \
    --tls-cert-file=$P/apiserver.crt \
    --tls-private-key-file=$P/apiserver.key \
    --client-ca-file=$P/ca.crt \
    --kubelet-client-certificate=$P/apiserver-kubelet-client.crt \
    --kubelet-client-key=$P/apiserver-kubelet-client.key \
    --authorization-mode=Node,RBAC \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file=$P/sa.pub \
    --service-account-signing-key-file=$P/sa.key \
    --requestheader-client-ca-file=$P/front-proxy-ca.crt \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file=$P/front-proxy-client.crt \
    --proxy-client-key-file=$P/front-proxy-client.key \
    --enable-aggregator-routing=${AGGREGATOR_ROUTING:-true} \
    --allow-privileged=true \
    --disable-admission-plugins=ServiceAccount \
    --profiling=false \
    --v=${APISERVER_V:-2} \
    > $LOGS/kube-apiserver.log 2>&1 < /dev/null &
  echo $! > $RUN/kube-apiserver.pid
  echo "kube-apiserver started (pid $(cat $RUN/kube-apiserver.pid)), aggregator routing=${AGGREGATOR_ROUTING:-true}"
fi
for i in $(seq 1 120); do
  if kubectl --kubeconfig $KC get --raw /readyz >/dev/null 2>&1; then
    echo "kube-apiserver ready on https://127.0.0.1:$AP"; exit 0
  fi
  alive $RUN/kube-apiserver.pid || { echo "kube-apiserver exited; see $LOGS/kube-apiserver.log"; tail -20 $LOGS/kube-apiserver.log; exit 1; }
  sleep 1
done
echo "kube-apiserver not ready after 120s; see $LOGS/kube-apiserver.log"; exit 1
