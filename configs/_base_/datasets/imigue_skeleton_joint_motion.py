# iMiGUE skeletons, joint-motion stream (jm: frame-to-frame difference of the joints), the joint
# base's recipe with `feats=['jm']` (computed after the augmentations); one of the four
# streams (j, b, jm, bm) whose scores tools/analysis/fuse_scores.py fuses.
_base_ = './imigue_skeleton_joint.py'

feats = ['jm']
features = [dict(type='MGGenSkeFeat', layout=_base_.layout, feats=feats, with_score=False)]
train_pipeline = (_base_.flip + _base_.normalize + _base_.train_sampling + _base_.decode +
                  _base_.augment + features + _base_.pack)
val_pipeline = _base_.normalize + _base_.val_sampling + _base_.decode + features + _base_.pack
test_pipeline = _base_.normalize + _base_.test_sampling + _base_.decode + features + _base_.pack

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
