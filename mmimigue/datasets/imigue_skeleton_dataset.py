"""iMiGUE clip-level skeleton dataset (mmaction2 ``PoseDataset`` with MG metadata and layouts)."""
import os.path as osp
from typing import Callable, Dict, List, Optional, Union

import mmengine
from mmaction.datasets import PoseDataset
from mmaction.registry import DATASETS

from ..graphs import LAYOUTS, NUM_OPENPOSE_KEYPOINTS, layout_indices
from ..protocol import imigue_class_names
from .keypoint_store import STORE_KEY, StoredKeypointsMixin


@DATASETS.register_module()
class IMiGUESkeletonDataset(StoredKeypointsMixin, PoseDataset):
    """iMiGUE micro-gesture clips as skeleton sequences.

    Reads the pickle written by ``tools/data/imigue/convert.py`` (mmaction2's PoseDataset
    schema plus ``video_id``, ``subject_id``, ``emotion``, ``start_frame``, ``end_frame``,
    ``clip_index``) and keeps only the joints of ``layout``, so pipelines see
    ``keypoint`` (1, T, V, 2) and ``keypoint_score`` (1, T, V). Pickles converted with
    ``--storage mmap`` keep the keypoints in a shared memory-mapped ``.keypoints.npy`` beside the
    pickle; they are read per clip (only the layout's joints), see
    :mod:`mmimigue.datasets.keypoint_store`.

    Args:
        ann_file (str): Converted pickle. Defaults to ``'data/imigue/imigue_skeleton.pkl'``.
        pipeline (list): Processing pipeline.
        split (str): ``'xsub_train'``, ``'xsub_test'``, ``'emotion_train'``, ``'emotion_test'``
            or any split stored in the pickle. Defaults to ``'xsub_train'``.
        layout (str): Joint subset, a key of :data:`mmimigue.graphs.LAYOUTS`: ``'imigue22'``
            (upper body of the published baselines), ``'body25'`` or ``'openpose137'``.
        **kwargs: Passed to :class:`mmaction.datasets.PoseDataset`.
    """

    METAINFO = dict(classes=tuple(imigue_class_names()))

    def __init__(self,
                 ann_file: str = 'data/imigue/imigue_skeleton.pkl',
                 pipeline: List[Union[Dict, Callable]] = (),
                 split: Optional[str] = 'xsub_train',
                 layout: str = 'imigue22',
                 **kwargs) -> None:
        if layout not in LAYOUTS:
            raise KeyError(f'unknown skeleton layout {layout!r}; available: {sorted(LAYOUTS)}')
        self.layout = layout
        super().__init__(ann_file, pipeline=list(pipeline), split=split, **kwargs)

    def load_data_list(self) -> List[Dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'{self.ann_file} does not exist. Convert the iMiGUE release with '
                '`python tools/data/imigue/convert.py --ann labels.csv --skeleton-root skeleton '
                f'--out {self.ann_file}`, or make synthetic data first with '
                '`python tools/data/make_synthetic_imigue.py data/imigue/synthetic` (see data/README.md).')
        content = mmengine.load(self.ann_file)
        if not isinstance(content, dict) or 'annotations' not in content:
            raise ValueError(f'{self.ann_file} is not a converted iMiGUE pickle (no "annotations")')
        annos = content['annotations']
        if self.split is not None:
            splits = content.get('split', {})
            if self.split not in splits:
                raise KeyError(f'{self.ann_file} has no split {self.split!r}; '
                               f'available: {sorted(splits)}')
            keep = set(splits[self.split])
            annos = [a for a in annos if a['frame_dir'] in keep]
        store = content.get(STORE_KEY)
        if store:  # keypoints in a shared memory-mapped store: read per clip in get_data_info
            self._attach_store(content, self.ann_file,
                               self._layout_joints(store['shape'][0], 'the keypoint store'))
            return annos
        return [self._select_joints(a) for a in annos]

    def _layout_joints(self, num_stored: int, where: str) -> Optional[List[int]]:
        """Indices of the layout's joints among ``num_stored`` stored joints (None: all)."""
        num_node = LAYOUTS[self.layout]['num_node']
        if num_stored == num_node:
            return None  # already stored in this layout (e.g. the 22-joint challenge arrays)
        if num_stored != NUM_OPENPOSE_KEYPOINTS:
            raise ValueError(
                f'{self.ann_file}: {where} has {num_stored} joints; layout '
                f'{self.layout!r} needs {num_node} joints or the full {NUM_OPENPOSE_KEYPOINTS} '
                'OpenPose keypoints to select from')
        return layout_indices(self.layout)

    def _select_joints(self, anno: Dict) -> Dict:
        idx = self._layout_joints(anno['keypoint'].shape[2], f'clip {anno["frame_dir"]}')
        if idx is None:
            return anno
        anno = dict(anno)
        anno['keypoint'] = anno['keypoint'][:, :, idx]
        if 'keypoint_score' in anno:
            anno['keypoint_score'] = anno['keypoint_score'][:, :, idx]
        return anno
