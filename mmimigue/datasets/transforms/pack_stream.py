"""Pack a stream window (or a whole stream) for the online models."""
from typing import Dict

import numpy as np
import torch
from mmaction.registry import TRANSFORMS
from mmaction.structures import ActionDataSample
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class MGPackStream(BaseTransform):
    """``inputs``: float32 tensor (T, V, C) of the first person, raw coordinates with the score
    as the last channel where there is one (x, y, score for OpenPose, x, y, z for Kinect); the
    online models normalise each window themselves, so windows at test time get exactly the
    training treatment. ``data_samples``: ``gt_label`` (the window label, -1 for a stream),
    ``frame_labels`` (T,), ``gt_segments`` (K, 3) and the meta keys ``video_id``,
    ``start_frame``, ``num_frames``, ``layout`` (the streams' joint layout) and ``loss_from``
    (leading frames that only warm a causal model up, :class:`MGStreamDataset`'s ``context``)."""

    def transform(self, results: Dict) -> Dict:
        kp = np.asarray(results['keypoint'], np.float32)[0]
        if 'keypoint_score' in results:
            kp = np.concatenate([kp, np.asarray(results['keypoint_score'],
                                                np.float32)[0][..., None]], -1)
        sample = ActionDataSample()
        sample.set_gt_label(int(results.get('label', -1)))
        sample.set_field(torch.as_tensor(results['frame_labels'], dtype=torch.long),
                         'frame_labels', field_type='data')
        sample.set_field(np.asarray(results['gt_segments'], np.int64).reshape(-1, 3),
                         'gt_segments', field_type='metainfo')
        sample.set_metainfo(dict(video_id=results['video_id'], start_frame=results['start'],
                                 num_frames=len(kp), layout=results.get('layout'),
                                 loss_from=int(results.get('loss_from', 0))))
        return dict(inputs=torch.from_numpy(kp), data_samples=sample)
