# Linear evaluation of the single-stream GCN MoCo encoder on SMG (acc/joint_top1).
_base_ = ['./dual_stream_linear.py']

model = dict(streams=dict(_delete_=True, joint={{_base_.model.streams.joint}}))
default_hooks = dict(checkpoint=dict(save_best='acc/joint_top1'))
