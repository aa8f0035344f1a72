# 2s-AGCN, joint stream, on SMG 3D Kinect joints (NTU 25-joint layout), cross-subject.
# The two-stream result fuses this config's test scores with the bone stream's
# (2s-agcn_1xb32-bone-u64-80e_smg-xsub-keypoint-3d.py), see docs/data.md.
_base_ = 'stgcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py'

model = dict(
    backbone=dict(_delete_=True, type='AAGCN', graph_cfg=dict(layout='ntu25', mode='spatial'),
                  num_person=1))
