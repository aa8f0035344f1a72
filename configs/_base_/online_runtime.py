# The runtime of the online models: the project's runtime, the checkpoint kept by segment F1
# (mmengine cannot infer the rule for online/f1), and the segment post-processing every online
# model shares (mmimigue.skeleton.probs_to_segments).
_base_ = './default_runtime.py'

default_hooks = dict(checkpoint=dict(save_best='online/f1', rule='greater'))
postprocess = dict(smooth_frames=5, min_frames=6, merge_gap=4)
