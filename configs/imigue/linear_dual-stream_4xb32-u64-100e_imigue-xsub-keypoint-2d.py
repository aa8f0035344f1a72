# Linear evaluation of the dual-stream MoCo encoders on iMiGUE (cross-subject), sec. 5.1.2:
# the pretrained query encoders are frozen (projection heads dropped), one linear classifier per
# stream is trained with SGD (momentum 0.9, lr 0.1) for 100 epochs, lr x0.1 at epochs 50 and 80.
# Prediction sums the two streams' softmax scores (sec. 4.2.4). Reported by AccMetric:
#   acc/spatial_top1 (spatial only), acc/temporal_top1 (temporal only), acc/fused_top1 (fusion),
#   plus top5 / mean class accuracy of each; MGKNNEvalHook logs knn/* of the frozen features.
#
#   bash tools/dist_train.sh configs/imigue/linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py 4 \
#       --cfg-options model.pretrained=work_dirs/dual_stream/epoch_300.pth
# Without model.pretrained the encoders stay randomly initialised (the random-init baseline).
# The backbone settings must equal those of the pretraining config (checked when loading).
# Classifier: MGLinearProbeHead = parameter-free BatchNorm (affine=False) + one FC layer; at test
# time the BatchNorm is a fixed affine map folded into the FC, so the classifier is linear, and
# lr 0.1 works whatever the scale of the frozen features (set feat_norm=False for a bare FC).
# The pretraining input (dual_stream.py): body units, no confidence channel.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/imigue_skeleton_linear.py',
    '../_base_/schedules/linear_sgd_100e.py',
    '../_base_/models/dual_stream_linear.py'
]

default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=1, save_best='acc/fused_top1',
                                     rule='greater'))
