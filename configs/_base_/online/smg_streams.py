# SMG whole Kinect streams for online MG recognition: the iMiGUE stream base with SMG's 17
# classes and 25 joints (x, y, z). Write them with
#   python tools/data/smg/convert.py --root SMG --out data/smg/smg_skeleton.pkl \
#       --streams data/smg/smg_streams.pkl
_base_ = './imigue_streams.py'

ann_file = 'data/smg/smg_streams.pkl'
num_classes = 17
num_joints = 25
train_dataloader = dict(dataset=dict(ann_file=ann_file))
val_dataloader = dict(dataset=dict(ann_file=ann_file))
test_dataloader = val_dataloader
