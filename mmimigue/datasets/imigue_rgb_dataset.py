"""iMiGUE clip-level RGB dataset: clips decoded straight out of the full interview videos."""
import os.path as osp
from typing import Callable, Dict, List, Optional, Union

from mmaction.datasets import BaseActionDataset
from mmaction.registry import DATASETS
from mmengine.logging import MMLogger

from ..protocol import imigue_class_names
from .formats.clip_records import check_clip_ranges, read_clip_records  # noqa: F401

# Video-opening transforms that set ``total_frames`` to the whole video's length.
_WHOLE_VIDEO_INITS = ('DecordInit', 'PyAVInit', 'OpenCVInit')
def check_and_report_clip_ranges(items: List[dict], summary: dict, who: str, video_dir: str,
                                 video_template: str) -> List[dict]:
    """:func:`check_clip_ranges`, then an error when no clip is left and one logged warning with
    the counts when any clip was skipped or cut (``who`` names the dataset and split)."""
    kept = check_clip_ranges(items, summary)
    if items and not kept:
        raise FileNotFoundError(
            f'none of the {len(items)} clips of {who} has a usable video (first problem: '
            f'{summary["skipped"][0][1]}); check data_prefix ({video_dir!r}) and video_template '
            f'({video_template!r})')
    if summary['skipped'] or summary['truncated_at_video_end']:
        MMLogger.get_current_instance().warning(
            f'{who}: skipped {summary["skipped_missing_video"]} clips of missing videos and '
            f'{summary["skipped_past_video_end"]} clips starting past their video end; '
            f'{summary["truncated_at_video_end"]} clips end past it (details in dataset.summary)')
    return kept


@DATASETS.register_module()
class MGIMiGUERGBDataset(BaseActionDataset):
    """iMiGUE micro-gesture clips as RGB frames, decoded from the full videos (no pre-cutting).

    Every sample is one labelled clip of an interview video: frames ``start_frame..end_frame``
    (inclusive, 0-based video frame indices, the same numbering as the OpenPose JSON files).
    The pipeline must open videos with :class:`~mmimigue.datasets.transforms.MGDecordClipInit`
    (not mmaction2's ``DecordInit``, which would let the samplers draw frames from the whole
    video; building the dataset with ``DecordInit`` is an error). After it, mmaction2's samplers
    and decoders work unchanged, e.g. for TSM::

        pipeline = [dict(type='MGDecordClipInit'),
                    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=8),
                    dict(type='DecordDecode'), dict(type='Resize', scale=(-1, 256)),
                    dict(type='CenterCrop', crop_size=224),
                    dict(type='FormatShape', input_format='NCHW'),
                    dict(type='PackActionInputs')]

    Each sample dict (``get_data_info(i)``) holds ``filename`` (the video), ``label``
    (0..31), ``clip_start`` / ``clip_end`` (the clip's frame range), ``total_frames`` (clip
    length), ``frame_dir`` (clip id ``'<video_id>_<label_id>'``, the same id as in the skeleton
    pickle) and the metadata ``video_id``, ``subject_id``, ``emotion`` (1 win, 0 lose),
    ``clip_index``; after ``PackActionInputs`` the label is in ``data_samples.gt_label``.

    Annotations come from either

    * the release's ``labels.csv`` (parsed and split by the same code as the skeleton
      converter: official cross-subject / emotion splits, or ``split_file``), or
    * a converted skeleton pickle (``tools/data/imigue/convert.py``), whose clip metadata and
      splits are reused (its keypoints are ignored).

    With ``check_videos=True`` (default) the dataset reads each video's length once when it is
    built: clips of missing videos and clips starting past the video's last frame are skipped,
    clips ending past it are cut at the last frame; all three are counted in :attr:`summary`
    and logged, never silent.

    Args:
        ann_file (str): ``labels.csv`` or a converted ``.pkl``.
            Defaults to ``'data/imigue/labels.csv'``.
        pipeline (list): Processing pipeline (starting with ``MGDecordClipInit``).
        data_prefix (dict): ``dict(video=VIDEO_DIR)``. Defaults to
            ``dict(video='data/imigue/videos')``.
        split (str, optional): ``'xsub_train'``, ``'xsub_test'``, ``'emotion_train'``,
            ``'emotion_test'``; None keeps every clip. Defaults to ``'xsub_train'``.
        video_template (str): Video file name under ``data_prefix['video']``, formatted with
            ``video_id`` (4-digit string). Defaults to ``'{video_id}.mp4'``.
        split_file (str, optional): JSON split override (csv input only), see
            :func:`mmimigue.protocol.load_split_file`.
        check_videos (bool): Check clip ranges against the videos when built. Defaults to True.
        **kwargs: Passed to :class:`mmaction.datasets.BaseActionDataset`.

    Attributes:
        summary (dict): ``clips`` kept, ``skipped_missing_video``,
            ``skipped_past_video_end``, ``truncated_at_video_end`` and ``skipped`` (list of
            ``(frame_dir, reason)``).
    """

    METAINFO = dict(classes=tuple(imigue_class_names()))

    def __init__(self,
                 ann_file: str = 'data/imigue/labels.csv',
                 pipeline: List[Union[Dict, Callable]] = (),
                 data_prefix: Dict = dict(video='data/imigue/videos'),
                 split: Optional[str] = 'xsub_train',
                 video_template: str = '{video_id}.mp4',
                 split_file: Optional[str] = None,
                 check_videos: bool = True,
                 **kwargs) -> None:
        for t in pipeline:
            kind = t.get('type') if isinstance(t, dict) else type(t).__name__
            if isinstance(kind, str) and kind.split('.')[-1] in _WHOLE_VIDEO_INITS:
                raise ValueError(
                    f'MGIMiGUERGBDataset decodes clips out of full videos: replace {kind} with '
                    "MGDecordClipInit in the pipeline (mmaction2's video init transforms set "
                    'total_frames to the whole video, so frames would be sampled outside the clip)')
        self.split = split
        self.video_template = video_template
        self.split_file = split_file
        self.check_videos = check_videos
        self.summary: dict = {}
        super().__init__(ann_file, pipeline=list(pipeline), data_prefix=data_prefix,
                         modality='RGB', **kwargs)

    def load_data_list(self) -> List[dict]:
        """Clips of ``split`` with their video paths and frame ranges."""
        clips, splits = read_clip_records(self.ann_file, self.split_file)
        if self.split is not None:
            if self.split not in splits:
                raise KeyError(f'{self.ann_file} has no split {self.split!r}; '
                               f'available: {sorted(splits)}')
            keep = set(splits[self.split])
            clips = [c for c in clips if c['frame_dir'] in keep]
        video_dir = self.data_prefix.get('video', '')
        data_list = []
        for c in clips:
            info = dict(c)
            info['filename'] = osp.join(video_dir,
                                        self.video_template.format(video_id=c['video_id']))
            info['clip_start'], info['clip_end'] = c['start_frame'], c['end_frame']
            info['total_frames'] = c['end_frame'] - c['start_frame'] + 1
            data_list.append(info)
        summary = dict(skipped_missing_video=0, skipped_past_video_end=0,
                       truncated_at_video_end=0, skipped=[])
        if self.check_videos:
            data_list = self._check_ranges(data_list, summary)
        summary['clips'] = len(data_list)
        self.summary = summary
        return data_list

    def _check_ranges(self, data_list: List[dict], summary: dict) -> List[dict]:
        return check_and_report_clip_ranges(
            data_list, summary, f'MGIMiGUERGBDataset({self.split})',
            self.data_prefix.get('video', ''), self.video_template)

    def clip_ids(self) -> List[str]:
        """``frame_dir`` of every sample in dataset order (to align with other modalities)."""
        return [self.get_data_info(i)['frame_dir'] for i in range(len(self))]


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
DATASETS.register_module(name='IMiGUERGBDataset', module=MGIMiGUERGBDataset)
