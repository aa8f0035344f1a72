"""Fill ``keypoint`` from a shared memory-mapped keypoint store (for mmaction2's PoseDataset)."""
from typing import Dict, Optional, Sequence

from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...skeleton.layouts import LAYOUTS, NUM_OPENPOSE_KEYPOINTS, layout_indices
from ..keypoint_store import KeypointStore


@TRANSFORMS.register_module()
class MGLoadStoredKeypoints(BaseTransform):
    """Read a clip's keypoints from a ``.keypoints.npy`` store written with ``--storage mmap``.

    mmimigue's datasets read the store themselves; this transform lets mmaction2's plain
    ``PoseDataset`` use such a pickle: put it first in the pipeline::

        dict(type='PoseDataset', ann_file='data/imigue/imigue_skeleton.pkl', split='xsub_train',
             pipeline=[dict(type='MGLoadStoredKeypoints',
                            store='data/imigue/imigue_skeleton.keypoints.npy',
                            layout='imigue22'), ...])

    Required Keys:
        - keypoint_offset
        - total_frames

    Added Keys:
        - keypoint (1, T, V, c)
        - keypoint_score (1, T, V), when the store has a score channel

    Args:
        store (str): The ``.keypoints.npy`` file.
        layout (str, optional): Keep this layout's joints (selected from the 137 OpenPose points
            when the store holds all of them). None keeps every stored joint.
        channels (Sequence[str]): The store's channel names; a last ``'score'`` channel becomes
            ``keypoint_score``. Defaults to ``('x', 'y', 'score')`` (2D skeletons; use
            ``('x', 'y', 'z')`` for SMG).
    """

    def __init__(self, store: str, layout: Optional[str] = None,
                 channels: Sequence[str] = ('x', 'y', 'score')) -> None:
        if layout is not None and layout not in LAYOUTS:
            raise KeyError(f'unknown skeleton layout {layout!r}; available: {sorted(LAYOUTS)}')
        self.store = KeypointStore(store, channels=channels)
        self.layout = layout
        self._joints = None
        self._resolved = layout is None

    def _joint_indices(self):
        if not self._resolved:
            num_stored = self.store.array.shape[0]
            num_node = LAYOUTS[self.layout]['num_node']
            if num_stored == NUM_OPENPOSE_KEYPOINTS and num_node != num_stored:
                self._joints = layout_indices(self.layout)
            elif num_stored != num_node:
                raise ValueError(f'{self.store.path} holds {num_stored} joints; layout '
                                 f'{self.layout!r} needs {num_node} or all '
                                 f'{NUM_OPENPOSE_KEYPOINTS} OpenPose points')
            self._resolved = True
        return self._joints

    def transform(self, results: Dict) -> Dict:
        if 'keypoint_offset' not in results:
            raise KeyError('MGLoadStoredKeypoints needs keypoint_offset in the annotation; the '
                           'pickle was written with inline keypoints (drop this transform)')
        results.update(self.store.read(int(results['keypoint_offset']),
                                       int(results['total_frames']), self._joint_indices()))
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(store={self.store.path!r}, layout={self.layout!r}, '
                f'channels={self.store.channels})')
