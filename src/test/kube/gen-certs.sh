#!/bin/bash
# Provenance: copied unchanged in substance from the team's ../shared/kube/gen-certs.sh (2026-12-02).
# Generates all PKI for the local loopback-only control plane under $KUBE_DIR/pki
set -euo pipefail
P=${KUBE_DIR:-${TMPDIR:-/tmp}/kube}/pki
mkdir -p $P && cd $P
DAYS=3650
ca() { # name CN
  openssl genrsa -out $1.key 2048 2>/dev/null
  openssl req -x509 -new -nodes -key $1.key -sha256 -days $DAYS -subj "/CN=$2" -out $1.crt
}
leaf() { # name subj ca usage [san]
  local name=$1 subj=$2 ca=$3 usage=$4 san=${5:-}
  openssl genrsa -out $name.key 2048 2>/dev/null
  openssl req -new -key $name.key -subj "$subj" -out $name.csr
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$usage"
    [ -n "$san" ] && echo "subjectAltName=$san"
  } > $name.ext
  openssl x509 -req -in $name.csr -CA $ca.crt -CAkey $ca.key -CAcreateserial -days $DAYS -sha256 -extfile $name.ext -out $name.crt 2>/dev/null
  rm -f $name.csr $name.ext
}
# cluster CA + apiserver serving cert (loopback names only)
ca ca kube-local-ca
leaf apiserver "/CN=kube-apiserver" ca serverAuth \
  "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:::1,IP:127.0.96.1"
# admin client cert (system:masters)
leaf admin "/O=system:masters/CN=kubernetes-admin" ca clientAuth
# apiserver -> kubelet client cert (not used without nodes, but standard)
leaf apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" ca clientAuth
# front-proxy (requestheader) CA + client cert used by the aggregator when proxying
ca front-proxy-ca front-proxy-ca
leaf front-proxy-client "/CN=front-proxy-client" front-proxy-ca clientAuth
# service-account signing key pair
openssl genrsa -out sa.key 2048 2>/dev/null
openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
chmod 600 *.key
ls -l $P
