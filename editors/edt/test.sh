#!/usr/bin/env bash
# Builds the 1C:EDT plugin and runs its tests without an OSGi runtime (plain Java):
# plugin.xml and MANIFEST.MF, the launcher, the diagnostic-to-marker mapping, edits with
# undo, the JSON-RPC client, and end to end against the real server.
#
#   BSL_ASSIST_BIN=target/debug/bsl-assist editors/edt/test.sh
#
# Installs the Debian packages it needs when they are missing (apt-get update only then).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${EDT_BUILD_DIR:-$HERE/build}"
export EDT_BUILD_DIR="$OUT"

PACKAGES=(
  libeclipse-core-runtime-java libequinox-common-java libeclipse-osgi-java
  libeclipse-core-contenttype-java libeclipse-core-resources-java libeclipse-jface-java
  libeclipse-jface-text-java libeclipse-ui-workbench-java libeclipse-jdt-annotation-java
  libeclipse-ui-java libeclipse-ui-workbench-texteditor-java libeclipse-core-filebuffers-java
  libgoogle-gson-java
)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]}"
  SUDO=""
  [[ "$(id -u)" != 0 ]] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update >/dev/null
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
for tool in javac jar java; do
  command -v "$tool" >/dev/null || { echo "test.sh: $tool (JDK 17) is missing" >&2; exit 2; }
done

"$HERE/build.sh"

JARS=/usr/share/java
CP=""
for jar in eclipse-core-runtime equinox-common equinox-registry equinox-preferences eclipse-core-jobs \
  eclipse-core-resources eclipse-core-commands eclipse-core-filebuffers eclipse-text eclipse-jface-text \
  eclipse-jface eclipse-ui-workbench eclipse-ui-workbench-texteditor org.eclipse.swt eclipse-osgi gson; do
  CP="$CP${CP:+:}$JARS/$jar.jar"
done
VERSION="$(sed -n 's/^Bundle-Version: *//p' "$HERE/META-INF/MANIFEST.MF" | tr -d '\r')"
PLUGIN_JAR="$OUT/io.bslassist.edt_${VERSION}.jar"

rm -rf "$OUT/test-classes"
mkdir -p "$OUT/test-classes"
find "$HERE/tests" -name '*.java' > "$OUT/test-sources.txt"
javac --release 17 -encoding UTF-8 -d "$OUT/test-classes" -cp "$CP:$OUT/classes" @"$OUT/test-sources.txt"

# The tests run on the classes as built into the jar, without the LSP4E stub.
java -Dfile.encoding=UTF-8 -Dstdout.encoding=UTF-8 \
  -Dedt.home="$HERE" -Dedt.jar="$PLUGIN_JAR" -Dedt.classpath="$CP" \
  -cp "$OUT/test-classes:$PLUGIN_JAR:$CP" io.bslassist.edt.tests.AllTests
