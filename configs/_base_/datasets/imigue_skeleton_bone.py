# iMiGUE skeletons, bone stream (joint minus parent, layout-aware): the joint base's recipe with
# `feats=['b']` (bones are computed after the augmentations, from the augmented joints).
_base_ = './imigue_skeleton_joint.py'

feats = ['b']
features = [dict(type='MGGenSkeFeat', layout=_base_.layout, feats=feats, with_score=False)]
train_pipeline = (_base_.flip + _base_.normalize + _base_.train_sampling + _base_.decode +
                  _base_.augment + features + _base_.pack)
val_pipeline = _base_.normalize + _base_.val_sampling + _base_.decode + features + _base_.pack
test_pipeline = _base_.normalize + _base_.test_sampling + _base_.decode + features + _base_.pack

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
