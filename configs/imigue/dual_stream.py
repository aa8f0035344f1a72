# Dual-stream MoCo pretraining on iMiGUE (cross-subject), "Identity-free Artificial Emotional
# Intelligence via Micro-Gesture Understanding", sec. 4.2 / 5.1.2:
#   spatial stream  = 2s-AGCN joint stream (mmaction2 AAGCN) on skeleton graphs,
#   temporal stream = 3-layer MGBiGRU, 1024 units, on per-frame skeleton sequences,
#   each with its own MLP re-projection head to 128-d, queue of 512 negatives, momentum key
#   encoder (m = 0.999), InfoNCE with T = 0.07; SGD + Nesterov momentum 0.9, lr 0.01, wd 1e-4.
# Views: the paper's best MG augmentation combination, coordinate perturbation + stretch +
# posterize time (sec. 5.1.3), drawn independently per view by MGMultiView on shared frames.
# Input (not stated by the paper, measured in docs/dual_stream.md): x, y in body units
# (MGNormalizeBody2D: origin at the clip's mean neck, shoulder width 1) instead of image units,
# and no OpenPose confidence channel: no augmentation changes the confidence, so the two views
# always share it and MoCo matches views by it instead of by the gesture.
#
#   bash tools/dist_train.sh configs/imigue/dual_stream.py 4
#   then: bash tools/dist_train.sh configs/imigue/linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py
#   4 \
#             --cfg-options model.pretrained=work_dirs/dual_stream/epoch_300.pth
#
# Not stated by the paper, chosen here: 300 epochs with lr x0.1 at epoch 250 ("trained until the
# loss converges"), 4 x 32 clips per step, 64-frame clips, MGBiGRU mean pooling over time.
# The global batch (batch_size x processes) must divide queue_len (512): 1, 2, 4, 8 or 16
# processes with batch 32 work; for other counts set model.streams.*.queue_len accordingly.
# Both views augment the same sampled frames (the paper augments each sequence twice), which
# also keeps the two-view pipeline within the cost of two stock samples
# (tools/analysis/benchmark_pipeline.py).
# No labels are used while pretraining: no validation loop (KNN monitors the features).
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/imigue_skeleton_moco.py',
    '../_base_/schedules/moco_sgd_300e.py',
    '../_base_/models/dual_stream_moco.py'
]

default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=10, max_keep_ckpts=1, save_best=None, save_last=True))
