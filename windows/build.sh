#!/usr/bin/env bash
# Builds the Windows download from this Linux machine, in one command:
#   bash windows/build.sh   ->  target/windows/oit025-<version>-windows-x64.zip
# Cross-compiled for x86_64-pc-windows-gnu with the `dist` profile (fat LTO, stripped), linked by
# Debian's mingw-w64. The zip holds oit025.exe, README-Windows.txt (Thai and English), the licences
# and an example project made by `oit025 init --example`. Installs what it needs when missing:
# the rustup target, gcc-mingw-w64-x86-64 (apt).
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-pc-windows-gnu
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

rustup target list --installed | grep -qx "$target" || rustup target add "$target"
if ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq gcc-mingw-w64-x86-64 >/dev/null
fi

started=$(date +%s)
cargo build --profile dist --target "$target" --quiet
# The example project is made by the same code on this machine (a Linux build of it).
cargo build --release --quiet
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
name="oit025-$version-windows-x64"
out=target/windows
stage="$out/$name"
rm -rf "$stage" "$out/$name.zip"
mkdir -p "$stage"
cp "target/$target/dist/oit025.exe" "$stage/"
cp windows/README-Windows.txt "$stage/"
cp LICENSE "$stage/LICENSE.txt"
cp fonts/OFL.txt "$stage/OFL-Sarabun.txt"
python3 windows/third_party.py > "$stage/THIRD-PARTY.txt"
target/release/oit025 init "$stage/ตัวอย่าง" --example 2>/dev/null
# Notepad's line ends for the text a user opens by double-click.
for f in README-Windows.txt LICENSE.txt OFL-Sarabun.txt THIRD-PARTY.txt; do
  sed -i 's/\r\?$/\r/' "$stage/$f"
done
python3 windows/pack.py "$stage" "$out/$name.zip"
took=$(( $(date +%s) - started ))
size=$(stat -c %s "$out/$name.zip")
exe=$(stat -c %s "$stage/oit025.exe")
echo "$out/$name.zip: $(( size / 1024 / 1024 )) MB ($size bytes; oit025.exe $(( exe / 1024 / 1024 )) MB), built in $(( took / 60 )) min $(( took % 60 )) s"
