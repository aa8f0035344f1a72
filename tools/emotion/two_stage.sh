#!/usr/bin/env bash
# Two-stage iMiGUE emotion recipe: clip-level MG model -> clip outputs -> emotion models -> accuracy.
#
#   bash tools/emotion/two_stage.sh [CLIP_CONFIG] [WORK_DIR]
#
# Stage 1 trains CLIP_CONFIG (default: the ST-GCN joint baseline) with tools/train.py and runs it
# over every clip of both clip-level splits (tools/extract_clip_outputs.py). Stage 2 trains and
# tests configs/imigue/lstm_1xb16-prob-100e_imigue-emotion.py and transformer_1xb16-label-200e_imigue-emotion.py on those outputs, once per input
# modality (predictions, probabilities, and ground-truth MG labels as the upper bound), and prints
# the test-video accuracy / F1 of every run (chance: 0.5) as one table. Each step prints one line
# (its full log goes to WORK_DIR/<step>.log); per-video predictions are written to
# WORK_DIR/<run>/test_predictions.csv.
#
# Environment overrides:
#   ANN           converted skeleton pickle (default data/imigue/imigue_skeleton.pkl)
#   CLIP_CKPT     skip stage-1 training and use this checkpoint of CLIP_CONFIG
#   CLIP_EPOCHS   clip-model epochs (default: the config's schedule)
#   CLIP_OPTIONS  extra --cfg-options for the clip model (space separated key=value)
#   EMO_OPTIONS   extra --cfg-options for every emotion run
#   PYTHON        interpreter (default: python)
set -euo pipefail

CLIP_CONFIG=${1:-configs/imigue/stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py}
WORK=${2:-work_dirs/emotion_two_stage}
ANN=${ANN:-data/imigue/imigue_skeleton.pkl}
PY=${PYTHON:-python}
OUT=$WORK/clip_outputs.pkl
mkdir -p "$WORK"

if [ ! -f "$ANN" ]; then
  echo "missing $ANN: convert iMiGUE (tools/data/imigue/convert.py) or make synthetic data first:" >&2
  echo "  python tools/data/make_synthetic_imigue.py data/imigue/synthetic --seed 0 && python tools/data/imigue/convert.py --ann data/imigue/synthetic/labels.csv --skeleton-root data/imigue/synthetic/skeleton --out $ANN" >&2
  exit 1
fi

step() {  # name command...: run into $WORK/<name>.log, its latest progress line every ~30 s
  local name=$1 t0=$SECONDS last shown=0
  shift
  echo "  $name ... (log $WORK/$name.log)"
  "$@" > "$WORK/$name.log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 2
    if (( SECONDS - t0 - shown >= 30 )); then
      shown=$((SECONDS - t0))
      last=$(grep -E 'done, .* elapsed|Epoch\((train|val|test)\)' "$WORK/$name.log" | tail -n 1)
      echo "    ${shown} s: ${last##*INFO - }"
    fi
  done
  if ! wait "$pid"; then
    echo "  $name failed; the end of $WORK/$name.log:"
    tail -n 30 "$WORK/$name.log" >&2
    exit 1
  fi
  echo "  $name done in $((SECONDS - t0)) s"
}

ann_opts="train_dataloader.dataset.ann_file=$ANN val_dataloader.dataset.ann_file=$ANN test_dataloader.dataset.ann_file=$ANN"

# ---- stage 1: clip-level MG model -------------------------------------------------------------
if [ -z "${CLIP_CKPT:-}" ]; then
  epochs=""
  [ -n "${CLIP_EPOCHS:-}" ] && epochs="train_cfg.max_epochs=$CLIP_EPOCHS"
  echo "== stage 1: clip-level MG model ($CLIP_CONFIG)"
  # shellcheck disable=SC2086
  step clip_train $PY tools/train.py "$CLIP_CONFIG" --work-dir "$WORK/clip" \
    --cfg-options $ann_opts $epochs ${CLIP_OPTIONS:-}
  CLIP_CKPT=$(cat "$WORK/clip/last_checkpoint")
  echo "  clip model checkpoint: the last epoch's ($CLIP_CKPT; chosen by no test score)"
fi
echo "== clip outputs of every clip ($CLIP_CKPT)"
# shellcheck disable=SC2086
step clip_outputs $PY tools/extract_clip_outputs.py "$CLIP_CONFIG" "$CLIP_CKPT" --out "$OUT" \
  --cfg-options $ann_opts ${CLIP_OPTIONS:-}
grep -h '^\[extract_clip_outputs\] wrote' "$WORK/clip_outputs.log" || true
echo "== stage 2: video-level emotion models (6 runs)"

# ---- stage 2: video-level emotion models ------------------------------------------------------
run_emotion() {  # name config modality [extra options...]
  local name=$1 config=$2 modality=$3
  shift 3
  local dir=$WORK/$name
  local opts="train_dataloader.dataset.ann_file=$OUT val_dataloader.dataset.ann_file=$OUT"
  opts="$opts test_dataloader.dataset.ann_file=$OUT"
  opts="$opts train_dataloader.dataset.modality=$modality val_dataloader.dataset.modality=$modality"
  opts="$opts test_dataloader.dataset.modality=$modality test_evaluator.out_file=$dir/test_predictions.csv"
  # shellcheck disable=SC2086
  step "${name}_train" $PY tools/train.py "$config" --work-dir "$dir" --cfg-options $opts "$@" \
    ${EMO_OPTIONS:-}
  # shellcheck disable=SC2086
  step "${name}_test" $PY tools/test.py "$config" "$(cat "$dir/last_checkpoint")" \
    --work-dir "$dir" --cfg-options $opts "$@" ${EMO_OPTIONS:-}
  cp "$WORK/${name}_test.log" "$dir/test.log"
}

run_emotion lstm_prob configs/imigue/lstm_1xb16-prob-100e_imigue-emotion.py prob
run_emotion lstm_pred_label configs/imigue/lstm_1xb16-prob-100e_imigue-emotion.py pred_label
run_emotion lstm_gt_label configs/imigue/lstm_1xb16-prob-100e_imigue-emotion.py gt_label
run_emotion transformer_pred_label configs/imigue/transformer_1xb16-label-200e_imigue-emotion.py pred_label
run_emotion transformer_prob configs/imigue/transformer_1xb16-label-200e_imigue-emotion.py prob model.backbone.input_type=vector
run_emotion transformer_gt_label configs/imigue/transformer_1xb16-label-200e_imigue-emotion.py gt_label

echo
echo "== emotion on the test videos (chance 0.5; gt_label: true MG labels, the upper bound)"
printf '%-24s %9s %9s %7s\n' run accuracy macro-F1 videos
for run in lstm_prob lstm_pred_label lstm_gt_label transformer_pred_label transformer_prob transformer_gt_label; do
  line=$(grep -o 'emotion/accuracy: .*' "$WORK/$run/test.log" | tail -1)
  value() { sed -n "s/.*emotion\/$1: \([0-9.]*\).*/\1/p" <<< "$line"; }
  printf '%-24s %9s %9s %7s\n' "$run" "$(value accuracy)" "$(value macro_f1)" "$(value num_videos | cut -d. -f1)"
done
echo "logs and per-video predictions: $WORK/"
