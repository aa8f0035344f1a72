"""What the iMiGUE and SMG skeleton datasets share: a converted pickle, its splits, a joint
layout chosen at load time, and inline or memory-mapped keypoints."""
import os.path as osp
from typing import Callable, Dict, List, Optional, Union

from mmaction.datasets import PoseDataset

from ..skeleton.layouts import LAYOUTS
from .formats.safe_pickle import load_converted_pickle
from .keypoint_store import STORE_KEY, StoredKeypointsMixin


class MGSkeletonDatasetBase(StoredKeypointsMixin, PoseDataset):
    """Base of the clip-level skeleton datasets (not registered; subclasses are).

    Subclasses set :attr:`DATASET` and :attr:`MISSING_FILE_HINT` and implement
    :meth:`layout_joints`; they may check the stored arrays in :meth:`check_store` /
    :meth:`check_clip` and read the pickle's ``meta`` in :meth:`read_meta`.

    Args:
        ann_file (str): Converted pickle.
        pipeline (list): Processing pipeline.
        split (str, optional): A split stored in the pickle; None keeps every clip.
        layout (str): Joint subset, a key of :data:`mmimigue.skeleton.layouts.LAYOUTS`.
        **kwargs: Passed to :class:`mmaction.datasets.PoseDataset`.
    """

    DATASET = ''
    #: How to make the pickle; ``{ann_file}`` is filled in.
    MISSING_FILE_HINT = ''

    def __init__(self, ann_file: str, pipeline: List[Union[Dict, Callable]] = (),
                 split: Optional[str] = 'xsub_train', layout: str = 'imigue22',
                 **kwargs) -> None:
        if layout not in LAYOUTS:
            raise KeyError(f'unknown skeleton layout {layout!r}; available: {sorted(LAYOUTS)}')
        self.layout = layout
        super().__init__(ann_file, pipeline=list(pipeline), split=split, **kwargs)

    def layout_joints(self, num_stored: int, where: str) -> Optional[List[int]]:
        """Indices of the layout's joints among ``num_stored`` stored joints (None: all)."""
        raise NotImplementedError

    def read_meta(self, meta: Dict) -> None:
        """Hook: the pickle's ``meta`` dict, read before the clips."""

    def check_store(self, store: Dict) -> None:
        """Hook: raise for a keypoint store this dataset cannot read."""

    def check_clip(self, anno: Dict) -> None:
        """Hook: raise for an inline clip this dataset cannot read."""

    def load_data_list(self) -> List[Dict]:
        """Load the clips of ``split`` and keep the joints of ``layout``."""
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(f'{self.ann_file} does not exist. ' +
                                    self.MISSING_FILE_HINT.format(ann_file=self.ann_file))
        content = load_converted_pickle(self.ann_file)  # data only: a pickle cannot run code
        if not isinstance(content, dict) or 'annotations' not in content:
            raise ValueError(f'{self.ann_file} is not a converted {self.DATASET} pickle '
                             '(no "annotations")')
        self.read_meta(content.get('meta', {}))
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
            self.check_store(store)
            self._attach_store(content, self.ann_file,
                               self.layout_joints(store['shape'][0], 'the keypoint store'))
            return annos
        return [self._select_joints(a) for a in annos]

    def _select_joints(self, anno: Dict) -> Dict:
        self.check_clip(anno)
        idx = self.layout_joints(anno['keypoint'].shape[2], f'clip {anno["frame_dir"]}')
        if idx is None:
            return anno
        anno = dict(anno)
        anno['keypoint'] = anno['keypoint'][:, :, idx]
        if 'keypoint_score' in anno:
            anno['keypoint_score'] = anno['keypoint_score'][:, :, idx]
        return anno
