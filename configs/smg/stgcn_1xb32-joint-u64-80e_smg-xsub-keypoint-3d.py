# ST-GCN on SMG 3D Kinect joints (NTU 25-joint layout), cross-subject (test subjects 36-40).
# Batch 32 and 64-frame clips follow the GE-CN paper's SMG setting; optimiser and schedule are
# mmaction2's ST-GCN NTU recipe (SGD 0.1, nesterov, cosine, 16 epochs x 5 repeats = 80).
# mmaction2's NTU recipe repeats the training set 5x per epoch.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/smg_skeleton_joint.py',
    '../_base_/schedules/sgd_cosine_16e.py',
    '../_base_/models/stgcn_ntu25.py'
]

default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=100))
