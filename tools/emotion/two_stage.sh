#!/usr/bin/env bash
# Two-stage iMiGUE emotion recipe: clip-level MG model -> clip outputs -> emotion models -> accuracy.
#
#   bash tools/emotion/two_stage.sh [CLIP_CONFIG] [WORK_DIR]
#
# Stage 1 trains CLIP_CONFIG (default: the ST-GCN joint baseline) with tools/train.py and runs it
# over every clip of both clip-level splits (tools/extract_clip_outputs.py). Stage 2 trains and
# tests configs/imigue/emotion_lstm.py and emotion_transformer.py on those outputs, once per input
# modality (predictions, probabilities, and ground-truth MG labels as the upper bound), and prints
# the test-video accuracy / F1 of every run (chance: 0.5). Per-video predictions are written to
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

ann_opts="train_dataloader.dataset.ann_file=$ANN val_dataloader.dataset.ann_file=$ANN test_dataloader.dataset.ann_file=$ANN"

# ---- stage 1: clip-level MG model -------------------------------------------------------------
if [ -z "${CLIP_CKPT:-}" ]; then
  epochs=""
  [ -n "${CLIP_EPOCHS:-}" ] && epochs="train_cfg.max_epochs=$CLIP_EPOCHS"
  # shellcheck disable=SC2086
  $PY tools/train.py "$CLIP_CONFIG" --work-dir "$WORK/clip" \
    --cfg-options $ann_opts $epochs ${CLIP_OPTIONS:-}
  CLIP_CKPT=$(cat "$WORK/clip/last_checkpoint")
fi
# shellcheck disable=SC2086
$PY tools/extract_clip_outputs.py "$CLIP_CONFIG" "$CLIP_CKPT" --out "$OUT" \
  --cfg-options $ann_opts ${CLIP_OPTIONS:-}

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
  $PY tools/train.py "$config" --work-dir "$dir" --cfg-options $opts "$@" ${EMO_OPTIONS:-}
  # shellcheck disable=SC2086
  $PY tools/test.py "$config" "$(cat "$dir/last_checkpoint")" --work-dir "$dir" \
    --cfg-options $opts "$@" ${EMO_OPTIONS:-} 2>&1 | tee "$dir/test.log"
}

run_emotion lstm_prob configs/imigue/emotion_lstm.py prob
run_emotion lstm_pred_label configs/imigue/emotion_lstm.py pred_label
run_emotion lstm_gt_label configs/imigue/emotion_lstm.py gt_label
run_emotion transformer_pred_label configs/imigue/emotion_transformer.py pred_label
run_emotion transformer_prob configs/imigue/emotion_transformer.py prob model.backbone.input_type=vector
run_emotion transformer_gt_label configs/imigue/emotion_transformer.py gt_label

echo
echo "== test videos (chance 0.5) =="
for run in lstm_prob lstm_pred_label lstm_gt_label transformer_pred_label transformer_prob transformer_gt_label; do
  line=$(grep -o 'emotion/accuracy: [0-9.]*.*emotion/num_videos: [0-9.]*' "$WORK/$run/test.log" | tail -1)
  printf '%-24s %s\n' "$run" "$line"
done
