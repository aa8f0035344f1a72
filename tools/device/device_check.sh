#!/usr/bin/env bash
# On a lent GPU machine (no network): install the wheels of prepare_wheels.sh, then run the
# device check on every family with AMP and one tools/dist_train.sh epoch; the table goes to
# $OUT/device_check.md (docs/benchmarks.md keeps it). Run it as the device tool's command with
# carry ['.whl'], e.g.
#   bash tools/device/device_check.sh            # ~5-8 min on one H100
#   ITERS=5 ONLY='stgcn-*' bash tools/device/device_check.sh
set -eo pipefail
cd "$(dirname "$0")/../.."
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
    --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore
OUT=${OUT:-work_dirs}
mkdir -p "$OUT"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 tools/analysis/device_check.py --device cuda --amp --dist --iters "${ITERS:-10}" \
    --workers "${WORKERS:-4}" ${ONLY:+--only "$ONLY"} --data-root /tmp/device_check_data \
    --out "$OUT/device_check.md" 2>&1 | tee "$OUT/device_check.log"
