#!/usr/bin/env bash
# The main job on the built-in synthetic data: generate a synthetic iMiGUE release, convert it,
# train mmaction2's ST-GCN baseline on CPU, and report held-out-subject top-1 / top-5.
# Each step is the command a user runs on the real release. Sizes: EPOCHS (default 10); the
# training seed: SEED (default 0). The checkpoint is chosen on the validation subjects
# (xsub_val: every fifth training subject, not trained on); the test subjects only test it.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS=${EPOCHS:-10}
SEED=${SEED:-0}
RAW=data/imigue/synthetic
PKL=data/imigue/imigue_skeleton.pkl
CONFIG=configs/imigue/stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py
WORK_DIR=work_dirs/quickstart_stgcn
export PYTHONWARNINGS=ignore

echo "== 1/4 generate a synthetic iMiGUE release (labels.csv + OpenPose JSON) in $RAW"
python tools/data/make_synthetic_imigue.py "$RAW" --seed 0 --workers 2

echo "== 2/4 convert it to $PKL (official cross-subject split)"
python tools/data/imigue/convert.py --ann "$RAW/labels.csv" --skeleton-root "$RAW/skeleton" \
    --out "$PKL" --workers 2

echo "== 3/4 train ST-GCN for $EPOCHS epochs on CPU (a narrower ST-GCN on 32-frame clips) on the"
echo "   training subjects minus the validation subjects; log: $WORK_DIR/<time>/<time>.log"
SMALL=(model.backbone.base_channels=32 model.cls_head.in_channels=128
       train_dataloader.dataset.pipeline.2.clip_len=32 val_dataloader.dataset.pipeline.1.clip_len=32
       test_dataloader.dataset.pipeline.1.clip_len=32 test_dataloader.dataset.pipeline.1.num_clips=5
       test_dataloader.batch_size=16 optim_wrapper.optimizer.lr=0.05)
python tools/train.py "$CONFIG" --work-dir "$WORK_DIR" --seed "$SEED" --cfg-options \
    train_cfg.max_epochs="$EPOCHS" \
    "${SMALL[@]}"

echo "== 4/4 test the checkpoint chosen on the validation subjects on the held-out test subjects"
echo "   (5 clips per sample)"
CKPT=$(ls -t "$WORK_DIR"/best_*.pth | head -n 1)
echo "   checkpoint: $CKPT (best validation top-1)"
python tools/test.py "$CONFIG" "$CKPT" --work-dir "$WORK_DIR" --cfg-options "${SMALL[@]}" \
    2>&1 | tee "$WORK_DIR/test.log" | grep -E "Epoch\(test\)" || true
python - "$WORK_DIR/test.log" <<'PY'
import re, sys
line = [l for l in open(sys.argv[1]) if 'Epoch(test)' in l][-1]
m = dict(re.findall(r'acc/(\w+): ([0-9.]+)', line))
print(f"held-out subjects: top-1 {float(m['top1']):.3f}  top-5 {float(m['top5']):.3f}  "
      f"mean class {float(m['mean1']):.3f}  (chance 1/32 = 0.031)")
PY
echo "== curves: loss, learning rate and validation accuracy per epoch"
python tools/analysis/plot_curves.py "$WORK_DIR"
echo "   the same scalars in TensorBoard: tensorboard --logdir $WORK_DIR"
