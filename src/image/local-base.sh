#!/usr/bin/env bash
# Assembles a minimal Java 17 base image from this machine, for image builds that cannot pull one
# (offline, air-gapped, CI here): a jlink runtime of the build's own JDK plus exactly the shared
# libraries it (and XGBoost's native library, no longer used) link against, all taken from the build
# machine's Debian packages (libc6, libgcc-s1, libstdc++6, libgomp1, zlib1g), an /etc/passwd with
# the non-root user 65532 the manifests run as, and /tmp. Written as a `docker save` tarball, which
# Jib reads as a `tar://` base (pom.xml, profile local-base). Nothing is downloaded.
#
# Usage: src/image/local-base.sh OUTPUT.tar
set -euo pipefail

out=${1:?usage: $0 OUTPUT.tar}
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
jlink="$java_home/bin/jlink"
[ -x "$jlink" ] || { echo "local-base.sh: no jlink in $java_home (a JDK, not a JRE, is needed)" >&2; exit 1; }
version=$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "$version" = 17 ] || { echo "local-base.sh: needs a Java 17 JDK (the project's target), $java_home is $version" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"

# The modules the server uses: `jdeps --print-module-deps --ignore-missing-deps target/presize.jar`
# (java.base ... jdk.unsupported), plus what is only loaded by name at run time: jdk.crypto.ec
# (TLS 1.3 key exchange), java.logging, java.xml (logback's configuration), jdk.management
# (process CPU and memory in /metrics), jdk.zipfs (resources read from jars as a FileSystem). A
# missing one shows up in ImageIT, which runs the image.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http
modules+=,java.scripting,java.sql,java.xml,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs
"$jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$root/opt/java"

# A headless server: no X11, sound or font rendering (java.desktop is needed for java.beans and
# the like, not for windows), so their native parts go, and with them ~20 libraries.
rm -f "$root"/opt/java/lib/{libawt_xawt,libjawt,libsplashscreen,libjsound,libfontmanager}.so

# Every shared library the runtime's ELF files need, and what XGBoost's libxgboost4j.so needed (it was
# unpacked from its jar at run time, so not here to inspect). The model no longer uses XGBoost; the
# list stays until the base is slimmed and ImageIT checks the smaller one.
mapfile -t elves < <(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \))
# (awk reads to the end: quitting early would SIGPIPE ldconfig, fatal under pipefail.)
for lib in libgomp.so.1 libstdc++.so.6 libgcc_s.so.1 libz.so.1 libpthread.so.0 librt.so.1 libm.so.6; do
  path=$(/sbin/ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|AArch64|64bit/ && !found {print $NF; found = 1}')
  [ -n "$path" ] || { echo "local-base.sh: $lib not found (install the Debian package that has it)" >&2; exit 1; }
  elves+=("$path")
done
{
  for f in "${elves[@]}"; do
    ldd "$f" 2>/dev/null | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}' || true
    case "$f" in "$root"/*) ;; *) echo "$f" ;; esac
  done
} | sort -u | while read -r lib; do
  case "$lib" in "$root"/*) continue ;; esac  # the runtime's own libraries are in place already
  cp -L --parents "$lib" "$root"  # the real file under the name the loader asks for
done

mkdir -p "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev"  # mount points a runtime fills
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/tmp:/sbin/nologin\n' >"$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' >"$root/etc/group"
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"

# One layer, reproducible: sorted names, fixed times and owners.
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
arch=$(uname -m); case "$arch" in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; esac
cat >"$work/config.json" <<JSON
{"architecture":"$arch","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"],"User":"65532:65532","WorkingDir":"/tmp"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"src/image/local-base.sh: jlink $modules and its shared libraries"}]}
JSON
printf '[{"Config":"config.json","RepoTags":["presize-local-base:17"],"Layers":["layer.tar"]}]\n' >"$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work" -cf "$out" manifest.json config.json layer.tar
echo "local-base.sh: $out ($(du -h "$out" | cut -f1)), java $("$root/opt/java/bin/java" -version 2>&1 | head -1)"
