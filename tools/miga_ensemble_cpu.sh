#!/usr/bin/env bash
# The MiGA-style ensemble recipe (docs/miga_recipes.md) at CPU scale on the synthetic data:
# ST-GCN joint + bone and PoseC3D keypoint (narrow, 24 frames, 32 x 32 heat maps) trained on the
# training subjects minus the validation subjects (xsub_train_minus_val), their checkpoints
# chosen on the validation subjects (xsub_val); each model's scores are dumped on xsub_val and on
# the held-out test subjects (xsub_test); the fusion weights are searched on xsub_val only, the
# fused test scores are reported and written as both MiGA submission formats. The full-scale
# commands are the same without the size overrides.
#   bash tools/miga_ensemble_cpu.sh            # PKL=data/imigue/imigue_skeleton.pkl EPOCHS=8
set -euo pipefail
export PYTHONUNBUFFERED=1
PKL=${PKL:-data/imigue/imigue_skeleton.pkl}
EPOCHS=${EPOCHS:-12}
P3D_EPOCHS=${P3D_EPOCHS:-12}
OUT=${OUT:-work_dirs/miga_cpu}
PY=${PYTHON:-python}
[ -f "$PKL" ] || { echo "no $PKL: run tools/quickstart.sh (or convert your data) first"; exit 1; }
$PY - "$PKL" <<'PY' || exit 1
import pickle, sys
if 'xsub_val' not in pickle.load(open(sys.argv[1], 'rb')).get('split', {}):
    sys.exit(f'{sys.argv[1]} has no xsub_val split (converted by an older version): convert it '
             'again with tools/data/imigue/convert.py')
PY
mkdir -p "$OUT"

data_opts() {  # $1: the dataset key path inside each dataloader (dataset or dataset.dataset)
  for split in train val test; do
    local key=dataset
    [ "$split" = train ] && key=$1
    echo "${split}_dataloader.${key}.ann_file=$PKL ${split}_dataloader.num_workers=0" \
         "${split}_dataloader.persistent_workers=False"
  done
  echo "train_dataloader.$1.split=xsub_train_minus_val val_dataloader.dataset.split=xsub_val"
}
GCN=(model.backbone.base_channels=32 model.cls_head.in_channels=128
     train_dataloader.dataset.pipeline.2.clip_len=32 val_dataloader.dataset.pipeline.1.clip_len=32
     test_dataloader.dataset.pipeline.1.clip_len=32 test_dataloader.dataset.pipeline.1.num_clips=5
     test_dataloader.batch_size=16 optim_wrapper.optimizer.lr=0.05)
P3D=(model.backbone.base_channels=8 model.cls_head.in_channels=128
     train_dataloader.dataset.times=1 train_dataloader.dataset.dataset.pipeline.0.clip_len=24
     "train_dataloader.dataset.dataset.pipeline.3.scale=(-1,40)"
     "train_dataloader.dataset.dataset.pipeline.5.scale=(32,32)"
     val_dataloader.dataset.pipeline.0.clip_len=24 "val_dataloader.dataset.pipeline.3.scale=(-1,32)"
     val_dataloader.dataset.pipeline.4.crop_size=32 test_dataloader.dataset.pipeline.0.clip_len=24
     test_dataloader.dataset.pipeline.0.num_clips=2 "test_dataloader.dataset.pipeline.3.scale=(-1,32)"
     test_dataloader.dataset.pipeline.4.crop_size=32 test_dataloader.batch_size=4
     optim_wrapper.optimizer.lr=0.05)

run() {  # name config epochs dataset-key overrides...
  local name=$1 config=$2 epochs=$3 key=$4; shift 4
  # shellcheck disable=SC2046
  local opts=("$@" train_cfg.max_epochs="$epochs" $(data_opts "$key"))
  echo "== train $name ($epochs epochs) -> $OUT/$name, log $OUT/$name.train.log"
  # the whole log to the file; its progress lines (at least every 20 s) and scores on screen
  $PY tools/train.py "$config" --work-dir "$OUT/$name" --seed 0 --cfg-options "${opts[@]}" \
      2>&1 | tee "$OUT/$name.train.log" | { grep --line-buffered -E 'done, .* elapsed|Epoch\(val\)' || true; }

  echo "== dump $name on the validation subjects -> $OUT/$name.val.pkl, the test subjects -> $OUT/$name.pkl"
  $PY tools/test.py "$OUT/$name" --work-dir "$OUT/$name" --dump "$OUT/$name.val.pkl" \
      --cfg-options test_dataloader.dataset.split=xsub_val > "$OUT/$name.val.log" 2>&1
  $PY tools/test.py "$OUT/$name" --work-dir "$OUT/$name" --dump "$OUT/$name.pkl" \
      > "$OUT/$name.test.log" 2>&1
}
SECONDS=0
run joint configs/imigue/stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py "$EPOCHS" dataset \
    "${GCN[@]}"
run bone configs/imigue/stgcn_1xb16-bone-u64-80e_imigue-xsub-keypoint-2d.py "$EPOCHS" dataset \
    "${GCN[@]}"
run posec3d configs/imigue/posec3d/slowonly_r50_1xb16-u48-24e_imigue-xsub-keypoint.py \
    "$P3D_EPOCHS" dataset.dataset "${P3D[@]}"
echo "== fuse joint + bone, weights searched on the validation subjects"
$PY tools/analysis/fuse_scores.py "$OUT/joint.pkl" "$OUT/bone.pkl" --names joint bone \
    --search --val "$OUT/joint.val.pkl" "$OUT/bone.val.pkl"
echo "== fuse joint + bone + posec3d, weights searched on the validation subjects -> $OUT/submission_*"
$PY tools/analysis/fuse_scores.py "$OUT/joint.pkl" "$OUT/bone.pkl" "$OUT/posec3d.pkl" \
    --names joint bone posec3d --search \
    --val "$OUT/joint.val.pkl" "$OUT/bone.val.pkl" "$OUT/posec3d.val.pkl" --out "$OUT/fused.pkl" \
    --submission-2023 "$OUT/submission_2023.csv" --submission-2024 "$OUT/submission_2024.zip"
echo "done in ${SECONDS}s"
