# PoseC3D on SMG: the iMiGUE keypoint config's model and schedule on the 25 Kinect joints,
# projected to pixels (MGProjectKinect2D: the release keeps camera-space metres), one heat map
# per joint, flip pairs of the NTU / Kinect v2 layout, 17 classes, test subjects 36-40.
#   python tools/train.py configs/smg/posec3d/slowonly_r50_1xb16-u48-24e_smg-xsub-keypoint.py
_base_ = '../../imigue/posec3d/slowonly_r50_1xb16-u48-24e_imigue-xsub-keypoint.py'

dataset_type = 'SMGSkeletonDataset'
ann_file = 'data/smg/smg_skeleton.pkl'
layout = 'ntu25'
heatmap_channels = 25
# Kinect left arm / leg / hand and their right partners (0-based NTU joints)
left_kp = [4, 5, 6, 7, 12, 13, 14, 15, 21, 22]
right_kp = [8, 9, 10, 11, 16, 17, 18, 19, 23, 24]
# the ntu25 tree (graphs.LAYOUTS['ntu25'] inward edges) and its mirrored limbs
skeletons = [[0, 1], [1, 20], [2, 20], [3, 2], [4, 20], [5, 4], [6, 5], [7, 6], [8, 20], [9, 8],
             [10, 9], [11, 10], [12, 0], [13, 12], [14, 13], [15, 14], [16, 0], [17, 16],
             [18, 17], [19, 18], [21, 22], [22, 7], [23, 24], [24, 11]]
left_limb = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21]
right_limb = [8, 9, 10, 11, 16, 17, 18, 19, 22, 23]

project = dict(type='MGProjectKinect2D')
flip = dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp)
target = dict(_base_.target, skeletons=skeletons)
target_flip = dict(target, double=True, left_kp=left_kp, right_kp=right_kp,
                   left_limb=left_limb, right_limb=right_limb)
pack = _base_.pack
train_pipeline = [project] + _base_.train_pipeline[:6] + [flip, target] + pack
val_pipeline = [project] + _base_.val_pipeline[:5] + [target] + pack
test_pipeline = [project] + _base_.test_pipeline[:5] + [target_flip] + pack

_data = dict(type=dataset_type, ann_file=ann_file, layout=layout)
model = dict(backbone=dict(in_channels=heatmap_channels), cls_head=dict(num_classes=17))
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline, **_data)))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline, **_data))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline, **_data))
