# Sourced by the benchmarks, from the project's root: sets `bin` to the absolute path of the
# oit025 binary to time. BIN=path: that binary, nothing built. PROFILE=pgo: dist optimised by a
# profile of its own runs (scripts/pgo). Otherwise the profile PROFILE names, default `dist`
# (fat LTO, the binary of batches and releases; PROFILE=release for the other).
if [ -n "${BIN:-}" ]; then
  bin=$(realpath "$BIN")
elif [ "${PROFILE:-dist}" = pgo ]; then
  bash scripts/pgo >/dev/null
  bin=$PWD/target/pgo/oit025
else
  cargo build --profile "${PROFILE:-dist}" --quiet
  bin=$PWD/target/${PROFILE:-dist}/oit025
fi
