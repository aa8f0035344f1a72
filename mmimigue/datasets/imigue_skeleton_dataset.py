"""iMiGUE clip-level skeleton dataset (mmaction2 ``PoseDataset`` with MG metadata and layouts)."""
from typing import Callable, Dict, List, Optional, Union

from mmaction.registry import DATASETS

from ..protocol import imigue_class_names
from ..skeleton.layouts import LAYOUTS, NUM_OPENPOSE_KEYPOINTS, is_kinect, layout_indices
from .skeleton_dataset_base import MGSkeletonDatasetBase

#: Layouts over Kinect joints (not OpenPose points).


@DATASETS.register_module()
class MGIMiGUESkeletonDataset(MGSkeletonDatasetBase):
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
        layout (str): Joint subset, a key of :data:`mmimigue.skeleton.layouts.LAYOUTS`:
            ``'imigue22'`` (upper body of the published baselines), ``'body25'`` or
            ``'openpose137'``.
        **kwargs: Passed to :class:`~mmimigue.datasets.skeleton_dataset_base.MGSkeletonDatasetBase`.
    """

    METAINFO = dict(classes=tuple(imigue_class_names()))
    DATASET = 'iMiGUE'
    MISSING_FILE_HINT = (
        'Convert the iMiGUE release with `python tools/data/imigue/convert.py --ann labels.csv '
        '--skeleton-root skeleton --out {ann_file}`, or make synthetic data first with '
        '`python tools/data/make_synthetic_imigue.py data/imigue/synthetic` (see data/README.md).')

    def __init__(self,
                 ann_file: str = 'data/imigue/imigue_skeleton.pkl',
                 pipeline: List[Union[Dict, Callable]] = (),
                 split: Optional[str] = 'xsub_train',
                 layout: str = 'imigue22',
                 **kwargs) -> None:
        if is_kinect(layout):
            raise ValueError(f'layout {layout!r} is the Kinect (NTU / SMG) joint order; iMiGUE '
                             'clips hold OpenPose points, so it would pair OpenPose joints with '
                             "the wrong graph nodes. Use 'imigue22', 'body25' or 'openpose137'.")
        super().__init__(ann_file, pipeline, split, layout, **kwargs)

    def layout_joints(self, num_stored: int, where: str) -> Optional[List[int]]:
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


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
DATASETS.register_module(name='IMiGUESkeletonDataset', module=MGIMiGUESkeletonDataset)
