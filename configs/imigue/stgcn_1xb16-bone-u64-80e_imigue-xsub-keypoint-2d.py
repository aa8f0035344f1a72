# mmaction2's ST-GCN on iMiGUE, bone stream: the default recipe (see the joint config); fuse
# its scores with the joint stream's. Paper setting: configs/imigue/paper/.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_bone.py',
    '../_base_/schedules/sgd_cosine_80e.py', '../_base_/models/stgcn_imigue22.py'
]
