"""SMG clip-level skeleton dataset: 3D Kinect joints in the NTU 25-joint layout."""
from typing import Callable, Dict, List, Optional, Sequence, Union

from mmaction.registry import DATASETS

from ..protocol import smg_class_names
from ..skeleton.layouts import layout_indices
from .skeleton_dataset_base import MGSkeletonDatasetBase


@DATASETS.register_module()
class MGSMGSkeletonDataset(MGSkeletonDatasetBase):
    """SMG micro-gesture clips as 3D skeleton sequences.

    Reads the pickle written by ``tools/data/smg/convert.py`` (mmaction2's PoseDataset schema,
    ``keypoint`` float32 (1, T, 25, 3) world coordinates in metres, no ``keypoint_score``) with
    the metadata ``subject_id``, ``sample``, ``clip_index``, ``start_frame``, ``end_frame``,
    ``fps``, ``stress`` (0 relaxed, 1 stressed, -1 outside any story segment),
    ``stress_hidden`` and ``emo_label``. Use it with 3D pipelines
    (``PreNormalize3D``, ``MGGenSkeFeat(layout='ntu25')``, ``FormatGCNInput(num_person=1)``).
    Pickles converted with ``--storage mmap`` keep the keypoints in a shared memory-mapped
    ``.keypoints.npy`` beside the pickle (see :mod:`mmimigue.datasets.keypoint_store`).

    Args:
        ann_file (str): Converted pickle. Defaults to ``'data/smg/smg_skeleton.pkl'``.
        pipeline (list): Processing pipeline.
        split (str): ``'xsub_train'`` or ``'xsub_test'`` (or any split in the pickle).
            Defaults to ``'xsub_train'``.
        layout (str): Joint layout; ``'ntu25'`` keeps all 25 Kinect joints. A layout whose
            ``indices`` address the 25 joints selects that subset. Defaults to ``'ntu25'``.
        class_names (Sequence[str], optional): Class names in label order. Defaults to the
            names stored by the converter (``meta['classes']``), else ``smg.json``'s 17 names
            (their order is not confirmed by the release).
        **kwargs: Passed to :class:`~mmimigue.datasets.skeleton_dataset_base.MGSkeletonDatasetBase`.
    """

    METAINFO = dict(classes=tuple(smg_class_names()))
    DATASET = 'SMG'
    MISSING_FILE_HINT = (
        'Convert the SMG release with `python tools/data/smg/convert.py --root SMG_SKELETON_DIR '
        '--out {ann_file}`, or make synthetic data first with '
        '`python tools/data/make_synthetic_smg.py data/smg/synthetic` (see docs/data.md).')

    def __init__(self,
                 ann_file: str = 'data/smg/smg_skeleton.pkl',
                 pipeline: List[Union[Dict, Callable]] = (),
                 split: Optional[str] = 'xsub_train',
                 layout: str = 'ntu25',
                 class_names: Optional[Sequence[str]] = None,
                 **kwargs) -> None:
        self._class_names = tuple(class_names) if class_names is not None else None
        if self._class_names is not None:
            kwargs['metainfo'] = dict(kwargs.get('metainfo') or {}, classes=self._class_names)
        super().__init__(ann_file, pipeline, split, layout, **kwargs)

    def read_meta(self, meta: Dict) -> None:
        """Class names stored by the converter, unless given."""
        if self._class_names is None and meta.get('classes'):
            self._metainfo['classes'] = tuple(meta['classes'])

    def check_store(self, store: Dict) -> None:
        channels = store['shape'][2]
        if channels != 3 or store.get('channels', ['x', 'y', 'z'])[-1] == 'score':
            raise ValueError(f'{self.ann_file}: the keypoint store holds {store["channels"]}'
                             '; SMG clips are 3D joints (x, y, z). Re-convert with '
                             'tools/data/smg/convert.py')

    def check_clip(self, anno: Dict) -> None:
        kp = anno['keypoint']
        if kp.ndim != 4 or kp.shape[-1] != 3:
            raise ValueError(f'{self.ann_file}: clip {anno["frame_dir"]} has keypoint of shape '
                             f'{kp.shape}; SMG clips are (1, T, 25, 3) 3D joints. Re-convert '
                             'with tools/data/smg/convert.py')

    def layout_joints(self, num_stored: int, where: str) -> Optional[List[int]]:
        """Indices of the layout's joints among the ``num_stored`` stored joints (None: all)."""
        idx = layout_indices(self.layout)
        if idx == list(range(num_stored)):
            return None
        if max(idx) >= num_stored:
            raise ValueError(f'{self.ann_file}: layout {self.layout!r} addresses joint '
                             f'{max(idx)} but clips store {num_stored} joints; use '
                             "layout='ntu25' for SMG")
        return idx


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
DATASETS.register_module(name='SMGSkeletonDataset', module=MGSMGSkeletonDataset)
