# mmaction2's STGCN++ on iMiGUE, joint-motion stream: the default recipe (see
# configs/imigue/stgcn_1xb16-joint-...), frame-to-frame motion of the joints. One of
# the four streams (joint, bone in configs/imigue/; joint-motion, bone-motion here) fused by
# tools/analysis/fuse_scores.py (docs/miga_recipes.md).
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/datasets/imigue_skeleton_joint_motion.py',
    '../../_base_/schedules/sgd_cosine_80e.py', '../../_base_/models/stgcnpp_imigue22.py'
]
