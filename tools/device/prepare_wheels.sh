#!/usr/bin/env bash
# Download (here, with network) the wheels the GPU machine lacks into .whl/ (git-ignored), for
# tools/device/device_check.sh there. The lent GPU machines run Python 3.12 with torch, numpy,
# scipy, matplotlib, einops and OpenCV installed and cannot reach the network; about 20 MB.
#   bash tools/device/prepare_wheels.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
mkdir -p .whl
$PY -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 --platform manylinux2010_x86_64 -d .whl \
    mmengine==0.10.7 mmcv-lite==2.1.0 mmaction2==1.2.0 addict yapf termcolor platformdirs \
    decord==0.6.0 orjson pysimdjson importlib_metadata 'setuptools<82'
du -sh .whl
