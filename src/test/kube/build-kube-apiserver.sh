#!/bin/bash
# Provenance: copied from the team's ../shared/kube/build-kube-apiserver.sh (2026-12-02) and changed to take its
# directories from the environment and to build only the binary (PKI and kubeconfig are made per run by start.sh).
#
# Builds kube-apiserver v1.20.2 from Debian's `kubernetes` source package (vendored tree, Go 1.19 from Debian).
# The public kubernetes repository is too big to fetch here; Debian's source is 34 MB.
# The orig tarball lacks pkg/generated/openapi/zz_generated.openapi.go: it is regenerated with the vendored openapi-gen.
#
# Env: KUBE_CACHE  where the binary goes ($KUBE_CACHE/bin/kube-apiserver) and where the source, GOPATH and
#                  Go build cache live ($KUBE_CACHE/build), default ${TMPDIR:-/tmp}/kube-cache.
# Does nothing when $KUBE_CACHE/bin/kube-apiserver already exists and was built with the patches below
# ($KUBE_CACHE/bin/kube-apiserver.patches names them); a binary built before a patch was added is rebuilt.
#
# Patch: the vendored github.com/modern-go/reflect2 v1.0.1 calls reflect.mapiterinit with its pre-Go-1.18
# signature, so built with Go 1.19 kube-apiserver crashes ("fatal error: fault" in runtime.mapiternext, the whole
# process) when json-iterator encodes a non-empty map: labels, ConfigMap data, a SubjectAccessReview's extra,
# i.e. on ordinary JSON GETs (modern-go/reflect2#26; fixed in 1.0.2). The vendored copy is replaced with Debian's
# golang-github-modern-go-reflect2-dev (1.0.2, same API).
set -euo pipefail
C=${KUBE_CACHE:-${TMPDIR:-/tmp}/kube-cache}
B=$C/build; SRC=$B/kubesrc; GP=$B/gopath
export DEBIAN_FRONTEND=noninteractive
# etcd and etcdctl are needed to run it (start.sh) even when the binary is cached; Go only to build it
command -v etcd >/dev/null && command -v etcdctl >/dev/null \
  || { apt-get update -qq; apt-get install -y -qq etcd-server etcd-client >/dev/null; }
PATCHES="reflect2-1.0.2"
if [ -x $C/bin/kube-apiserver ] && [ "$(cat $C/bin/kube-apiserver.patches 2>/dev/null)" = "$PATCHES" ]; then
  echo "kube-apiserver already built: $C/bin/kube-apiserver ($PATCHES)"; exit 0
fi
R2=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -x /usr/lib/go-1.19/bin/go ] && command -v dpkg-source >/dev/null && [ -f $R2/go_above_118.go ] \
  || { apt-get update -qq; apt-get install -y -qq golang-1.19-go dpkg-dev golang-github-modern-go-reflect2-dev >/dev/null; }
grep -rqs 'deb-src' /etc/apt/sources.list.d/ /etc/apt/sources.list || cat > /etc/apt/sources.list.d/debian-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
mkdir -p $SRC $GP/src/k8s.io $C/bin
if [ ! -d $SRC/kubernetes-1.20.2 ]; then
  apt-get update -qq
  (cd $SRC && apt-get source --download-only kubernetes >/dev/null 2>&1 && tar xzf kubernetes_*.orig.tar.gz)
fi
ln -sfn $SRC/kubernetes-1.20.2 $GP/src/k8s.io/kubernetes
export PATH=/usr/lib/go-1.19/bin:$PATH GOPATH=$GP GO111MODULE=off GOCACHE=$B/gocache CGO_ENABLED=0
cd $GP/src/k8s.io/kubernetes
# reflect2 1.0.1 -> 1.0.2 (see the top); its file set changed, so the old files go first
rm -f vendor/github.com/modern-go/reflect2/*.go vendor/github.com/modern-go/reflect2/*.s
find $R2 -maxdepth 1 \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' -exec cp {} vendor/github.com/modern-go/reflect2/ \;
go build -o $B/openapi-gen ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
# every package tagged for OpenAPI generation, as Makefile.generated_files finds them (grep exits 1 on a batch
# without a match, hence the pipefail pause)
set +o pipefail
IN=$( (find -L vendor/k8s.io -name '*.go' -not -path '*/testdata/*'; find pkg -name '*.go') 2>/dev/null | xargs grep -l '^// *+k8s:openapi-gen=' 2>/dev/null \
  | grep -v -e 'vendor/k8s.io/code-generator/' -e 'vendor/k8s.io/sample-apiserver/' | xargs -n1 dirname | LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd,)
set -o pipefail
[ -n "$IN" ] || { echo "no OpenAPI-tagged packages found"; exit 1; }
$B/openapi-gen -i "$IN" -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r $B/violations.report
# the version stamps hack/lib/version.sh would set, in both version packages (/version reads client-go's)
LD=""
for V in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
  LD="$LD -X $V.gitVersion=v1.20.2 -X $V.gitMajor=1 -X $V.gitMinor=20 -X $V.gitTreeState=clean -X $V.buildDate=2021-01-13T13:20:00Z"
done
# built under a temporary name and renamed, so an interrupted build never leaves a binary that looks cached
go build -o $C/bin/kube-apiserver.tmp -ldflags "$LD" ./cmd/kube-apiserver
mv $C/bin/kube-apiserver.tmp $C/bin/kube-apiserver
echo "$PATCHES" > $C/bin/kube-apiserver.patches
echo "built $C/bin/kube-apiserver ($PATCHES)"
