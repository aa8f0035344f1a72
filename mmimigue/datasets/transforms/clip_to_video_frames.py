"""Move RGB frame indices drawn inside a clip to the frames of the full video."""
from typing import Dict

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class MGClipToVideoFrames(BaseTransform):
    """``RGB_inds`` (clip frames, from ``MMUniformSampleFrames``) -> video frames
    ``clip_start + i``, capped at ``clip_end``; ``Pose_inds`` stay clip frames, since the
    keypoints hold only the clip. Pose frame ``t`` and video frame ``clip_start + t`` are the same
    moment (the converter stores frames ``start_frame..end_frame``), so RGB and pose align.

    Required Keys: ``RGB_inds``, ``clip_start``, ``clip_end``. Modified Keys: ``RGB_inds``.
    """

    def transform(self, results: Dict) -> Dict:
        for key in ('RGB_inds', 'clip_start', 'clip_end'):
            if key not in results:
                raise KeyError(f'MGClipToVideoFrames needs {key!r}: use it after '
                               'MMUniformSampleFrames with MGIMiGUERGBPoseDataset')
        inds = np.asarray(results['RGB_inds']) + int(results['clip_start'])
        results['RGB_inds'] = np.minimum(inds, int(results['clip_end'])).astype(np.int64)
        return results
