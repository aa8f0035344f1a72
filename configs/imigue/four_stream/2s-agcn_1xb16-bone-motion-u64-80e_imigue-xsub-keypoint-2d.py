# mmaction2's 2s-AGCN (AAGCN) on iMiGUE, bone-motion stream: the default recipe (see
# configs/imigue/stgcn_1xb16-joint-...), frame-to-frame motion of the bones. One of
# the four streams (joint, bone in configs/imigue/; joint-motion, bone-motion here) fused by
# tools/analysis/fuse_scores.py (docs/miga_recipes.md).
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/datasets/imigue_skeleton_bone_motion.py',
    '../../_base_/schedules/sgd_cosine_80e.py', '../../_base_/models/aagcn_imigue22.py'
]
