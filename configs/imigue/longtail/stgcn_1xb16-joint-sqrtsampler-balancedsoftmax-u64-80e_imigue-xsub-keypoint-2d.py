# ST-GCN joint (the default recipe) with two general long-tail tools (no MiGA winner we found used
# them; what the winners did is in docs/miga_recipes.md, "Class imbalance"): square-root class
# sampling (MGClassBalancedSampler, power 0.5, Kang et al., ICLR 2020: the tail is drawn more
# often, the head still most) and the balanced-softmax loss (Ren et al., NeurIPS 2020;
# MGBalancedSoftmaxLoss: cross-entropy on logits shifted by the log of the class distribution
# the model is trained on). MGClassPriorHook sets that prior
# before training from the training dataset and its sampler: here counts ** 0.5, so the
# imbalance the sampler already removed is not corrected a second time. Either one alone: drop
# the other block (without the sampler the hook uses the raw counts). The same blocks work in
# any config (docs/miga_recipes.md, "Class imbalance").
_base_ = '../stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py'

train_dataloader = dict(sampler=dict(_delete_=True, type='MGClassBalancedSampler', power=0.5))
model = dict(cls_head=dict(loss_cls=dict(
    type='MGBalancedSoftmaxLoss', num_classes=32, class_counts='auto')))
custom_hooks = [dict(type='MGClassPriorHook')]
