"""iMiGUE clips as RGB frames and skeletons together (RGBPoseConv3D): keypoints from the
converted pickle, frames decoded from the full interview videos at the same frame indices."""
from typing import Callable, Dict, List, Union

from mmaction.registry import DATASETS

from .formats.clip_id import check_path_component
from .imigue_rgb_dataset import check_and_report_clip_ranges
from .imigue_skeleton_dataset import MGIMiGUESkeletonDataset


@DATASETS.register_module()
class MGIMiGUERGBPoseDataset(MGIMiGUESkeletonDataset):
    """:class:`MGIMiGUESkeletonDataset` whose clips also name their video.

    Each sample holds the skeleton dataset's ``keypoint`` / ``keypoint_score`` (clip frames
    ``0..total_frames-1``, i.e. video frames ``start_frame..end_frame``) plus ``filename`` (the
    video) and ``clip_start`` / ``clip_end`` (the clip's video frames). mmaction2's
    ``MMUniformSampleFrames`` draws ``RGB_inds`` / ``Pose_inds`` in clip frames;
    :class:`~mmimigue.datasets.transforms.MGClipToVideoFrames` then moves ``RGB_inds`` to video
    frames, so ``MMDecode`` decodes the frames the keypoints were detected on::

        dict(type='MMUniformSampleFrames', clip_len=dict(RGB=8, Pose=32), num_clips=1),
        dict(type='MGClipToVideoFrames'), dict(type='MMDecode'), ...

    With ``check_videos=True`` (default) clips of missing videos and clips starting past their
    video's end are skipped, clips ending past it keep their keypoints and decode the last frame
    for the frames past the end; all are counted in :attr:`summary` and logged.

    Args:
        ann_file (str): Converted pickle.
        pipeline (list): Processing pipeline.
        data_prefix (dict): ``dict(video=VIDEO_DIR)``. Defaults to
            ``dict(video='data/imigue/videos')``.
        video_template (str): Video file name, formatted with ``video_id``.
            Defaults to ``'{video_id}.mp4'``.
        check_videos (bool): Check clip ranges against the videos when built. Defaults to True.
        **kwargs: Passed to :class:`MGIMiGUESkeletonDataset` (``split``, ``layout``, ...).
    """

    def __init__(self, ann_file: str = 'data/imigue/imigue_skeleton.pkl',
                 pipeline: List[Union[Dict, Callable]] = (),
                 data_prefix: Dict = dict(video='data/imigue/videos'),
                 video_template: str = '{video_id}.mp4', check_videos: bool = True,
                 **kwargs) -> None:
        self.video_template = video_template
        self.check_videos = check_videos
        self.summary: Dict = {}
        super().__init__(ann_file, pipeline, data_prefix=data_prefix, **kwargs)

    def load_data_list(self) -> List[Dict]:
        import os.path as osp
        annos = super().load_data_list()
        video_dir = self.data_prefix.get('video', '')
        for a in annos:
            check_path_component(a['video_id'], 'video_id', self.ann_file)
            a['filename'] = osp.join(video_dir, self.video_template.format(video_id=a['video_id']))
            a['clip_start'], a['clip_end'] = int(a['start_frame']), int(a['end_frame'])
        summary: Dict = dict(skipped=[])
        if self.check_videos:
            pose_frames = {a['frame_dir']: a['total_frames'] for a in annos}
            kept = check_and_report_clip_ranges(annos, summary,
                                                f'MGIMiGUERGBPoseDataset({self.split})',
                                                video_dir, self.video_template)
            for a in kept:  # a truncated clip keeps every keypoint frame
                a['total_frames'] = pose_frames[a['frame_dir']]
            annos = kept
        summary['clips'] = len(annos)
        self.summary = summary
        return annos


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
DATASETS.register_module(name='IMiGUERGBPoseDataset', module=MGIMiGUERGBPoseDataset)
