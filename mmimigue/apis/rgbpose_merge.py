"""RGBPoseConv3D's initialisation from an RGB-only and a pose-only model (mmaction2's step 2).

mmaction2's RGBPoseConv3D README trains an RGB-only SlowOnly and a pose-only SlowOnly on the
target data first and merges them into one checkpoint that initialises RGBPoseConv3D. The
mapping here:

- RGB model ``backbone.*`` -> ``backbone.rgb_path.*``, its ``cls_head.fc_cls.*`` ->
  ``cls_head.fc_rgb.*``; pose model ``backbone.*`` -> ``backbone.pose_path.*``,
  ``cls_head.fc_cls.*`` -> ``cls_head.fc_pose.*``;
- the first convolution after each lateral connection takes the pathway's own channels
  followed by the other pathway's (RGBPoseConv3D concatenates them in that order): its
  single-model weights fill the leading input channels and the lateral ones start at zero,
  so at initialisation each pathway computes exactly its single model's features;
- the lateral convolutions themselves are new and keep the model's own initialisation.
"""
from typing import Dict, Tuple

import torch

#: (prefix in the single model, prefix in RGBPoseConv3D) per modality.
RENAMES = {
    'rgb': (('backbone.', 'backbone.rgb_path.'), ('cls_head.fc_cls.', 'cls_head.fc_rgb.')),
    'pose': (('backbone.', 'backbone.pose_path.'), ('cls_head.fc_cls.', 'cls_head.fc_pose.')),
}


def _renamed(key: str, modality: str):
    for old, new in RENAMES[modality]:
        if key.startswith(old):
            return new + key[len(old):]
    return None


def merge_rgbpose_init(rgb_state: Dict[str, torch.Tensor], pose_state: Dict[str, torch.Tensor],
                       target_state: Dict[str, torch.Tensor]
                       ) -> Tuple[Dict[str, torch.Tensor], Dict[str, list]]:
    """Merge two single-modality state dicts into ``target_state``'s keys and shapes.

    Args:
        rgb_state / pose_state: State dicts of the RGB-only and pose-only Recognizer3D.
        target_state: An RGBPoseConv3D recognizer's state dict (its shapes and its own
            initialisation for what the single models do not have).

    Returns:
        ``(state, report)``: the merged state dict (every target key) and lists of keys:
        ``copied``, ``zero_extended`` (lateral input channels added as zeros), ``kept`` (target
        keys no single model provides: the lateral convolutions) and ``unused`` (single-model
        keys without a place, e.g. a head of another form).

    Raises:
        ValueError: a tensor whose shape cannot be placed (another width or class count),
            naming the key and both shapes, or a model that provides no backbone at all.
    """
    state = {k: v.clone() for k, v in target_state.items()}
    report = dict(copied=[], zero_extended=[], kept=[], unused=[])
    filled = set()
    for modality, source in (('rgb', rgb_state), ('pose', pose_state)):
        placed = 0
        for key, value in source.items():
            new = _renamed(key, modality)
            if new is None or new not in state:
                report['unused'].append(f'{modality}:{key}')
                continue
            want = state[new]
            if value.shape == want.shape:
                state[new] = value.to(want.dtype).clone()
                report['copied'].append(new)
            elif (value.dim() == want.dim() >= 2 and value.shape[0] == want.shape[0]
                  and value.shape[2:] == want.shape[2:] and value.shape[1] < want.shape[1]):
                grown = torch.zeros_like(want)
                grown[:, :value.shape[1]] = value
                state[new] = grown
                report['zero_extended'].append(new)
            else:
                raise ValueError(
                    f'{modality} model {key} {tuple(value.shape)} does not fit RGBPoseConv3D '
                    f'{new} {tuple(want.shape)}: the single-modality config must use the '
                    "pathway's widths, stages and class count (configs/imigue/posec3d/"
                    'rgbpose-{rgb,pose}_*)')
            filled.add(new)
            placed += 1
        if not placed:
            raise ValueError(f'the {modality} checkpoint has no backbone.* / cls_head.fc_cls.* '
                             'weights: is it a Recognizer3D checkpoint of the '
                             f'{modality}-only config?')
    report['kept'] = sorted(k for k in state if k not in filled)
    return state, report
