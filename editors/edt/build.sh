#!/usr/bin/env bash
# Builds the 1C:EDT plugin offline: javac --release 17 against Debian's Eclipse 4.26 jars,
# Gson and a compile-only LSP4E stub (never shipped), then the plugin jar and an update site.
#
#   editors/edt/build.sh              # outputs in editors/edt/build/ (or $EDT_BUILD_DIR)
#   BSL_ASSIST_BIN=path/to/bsl-assist editors/edt/build.sh   # bundles that server binary
#
# Needs the Debian packages listed in README.md (test.sh installs them).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${EDT_BUILD_DIR:-$HERE/build}"
JARS=/usr/share/java
VERSION="$(sed -n 's/^Bundle-Version: *//p' "$HERE/META-INF/MANIFEST.MF" | tr -d '\r')"
PLUGIN_JAR="io.bslassist.edt_${VERSION}.jar"

# The Eclipse bundles the plugin compiles against (their packages, not their versions,
# matter: the manifest asks for the lowest versions EDT 2023.x ships).
ECLIPSE_JARS=(
  eclipse-core-runtime equinox-common equinox-registry equinox-preferences eclipse-core-jobs
  eclipse-core-resources eclipse-core-commands eclipse-core-filebuffers eclipse-text
  eclipse-jface-text eclipse-jface eclipse-ui-workbench eclipse-ui-workbench-texteditor
  org.eclipse.swt eclipse-osgi gson
)
CP=""
for jar in "${ECLIPSE_JARS[@]}"; do
  if [[ ! -f "$JARS/$jar.jar" ]]; then
    echo "build.sh: $JARS/$jar.jar is missing; run editors/edt/test.sh or install the packages in editors/edt/README.md" >&2
    exit 2
  fi
  CP="$CP${CP:+:}$JARS/$jar.jar"
done

rm -rf "$OUT/stub-classes" "$OUT/classes" "$OUT/site" "$OUT/server-stage"
mkdir -p "$OUT/stub-classes" "$OUT/classes"

# 1. The LSP4E stub, in its own jar: only for compiling LspServerConnection.
find "$HERE/stub" -name '*.java' > "$OUT/stub-sources.txt"
javac --release 17 -nowarn -d "$OUT/stub-classes" -cp "$CP" @"$OUT/stub-sources.txt"
jar cf "$OUT/lsp4e-stub.jar" -C "$OUT/stub-classes" .

# 2. The plugin's classes.
find "$HERE/src" -name '*.java' > "$OUT/sources.txt"
javac --release 17 -encoding UTF-8 -Xlint:all,-serial,-processing -d "$OUT/classes" \
  -cp "$CP:$OUT/lsp4e-stub.jar" @"$OUT/sources.txt"
if [[ -n "$(find "$OUT/classes" -path '*org/eclipse/lsp4e*' -print -quit)" ]]; then
  echo "build.sh: LSP4E stub classes leaked into the plugin" >&2
  exit 1
fi
# Class file major version 61 is Java 17, what EDT 2023.x-2024.x runs on.
major="$(od -An -j6 -N2 -tu1 "$OUT/classes/io/bslassist/edt/Activator.class" | awk '{print $1 * 256 + $2}')"
if [[ "$major" != 61 ]]; then
  echo "build.sh: class file version $major, expected 61 (Java 17)" >&2
  exit 1
fi

# 3. The plugin jar; the server binary is stored uncompressed (it is large, and stored
#    entries extract fast).
rm -f "$OUT/$PLUGIN_JAR"
jar cfm "$OUT/$PLUGIN_JAR" "$HERE/META-INF/MANIFEST.MF" -C "$OUT/classes" . -C "$HERE" plugin.xml
if [[ -n "${BSL_ASSIST_BIN:-}" ]]; then
  if [[ ! -x "$BSL_ASSIST_BIN" ]]; then
    echo "build.sh: BSL_ASSIST_BIN=$BSL_ASSIST_BIN is not an executable file" >&2
    exit 2
  fi
  mkdir -p "$OUT/server-stage/server"
  name=bsl-assist
  [[ "$BSL_ASSIST_BIN" == *.exe ]] && name=bsl-assist.exe
  ln -f "$BSL_ASSIST_BIN" "$OUT/server-stage/server/$name" 2>/dev/null || cp "$BSL_ASSIST_BIN" "$OUT/server-stage/server/$name"
  jar --update --no-compress --file "$OUT/$PLUGIN_JAR" -C "$OUT/server-stage" server
  rm -rf "$OUT/server-stage"
fi

# 4. An update site in the classic layout (site.xml, features/, plugins/), which Eclipse's
#    "Install New Software" reads without p2 metadata.
mkdir -p "$OUT/site/features" "$OUT/site/plugins" "$OUT/feature-stage"
sed "s/version=\"0\.1\.0\"/version=\"$VERSION\"/g" "$HERE/feature/feature.xml" > "$OUT/feature-stage/feature.xml"
jar cf "$OUT/site/features/io.bslassist.edt.feature_${VERSION}.jar" -C "$OUT/feature-stage" feature.xml
ln -f "$OUT/$PLUGIN_JAR" "$OUT/site/plugins/$PLUGIN_JAR" 2>/dev/null || cp "$OUT/$PLUGIN_JAR" "$OUT/site/plugins/$PLUGIN_JAR"
cat > "$OUT/site/site.xml" <<SITE
<?xml version="1.0" encoding="UTF-8"?>
<site>
   <description>bsl-assist for 1C:EDT</description>
   <feature url="features/io.bslassist.edt.feature_${VERSION}.jar" id="io.bslassist.edt.feature" version="${VERSION}">
      <category name="bsl-assist"/>
   </feature>
   <category-def name="bsl-assist" label="bsl-assist"/>
</site>
SITE

echo "build.sh: $OUT/$PLUGIN_JAR ($(du -h "$OUT/$PLUGIN_JAR" | cut -f1)), update site in $OUT/site"
