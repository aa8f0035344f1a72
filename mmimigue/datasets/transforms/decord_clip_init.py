"""Open a full video with decord and restrict frame sampling to one clip's frame range."""
import os.path as osp
from typing import Dict

from mmaction.datasets.transforms import DecordInit
from mmaction.registry import TRANSFORMS


class ClipRangeError(ValueError):
    """A clip's frame range does not lie inside its video."""


@TRANSFORMS.register_module()
class MGDecordClipInit(DecordInit):
    """:class:`mmaction.datasets.transforms.DecordInit` for clips inside a longer video.

    mmaction2's ``DecordInit`` sets ``total_frames`` to the length of the whole video, so the
    frame samplers (``SampleFrames``, ``UniformSample``, ...) would draw frames from anywhere in
    the video. This transform opens the video the same way, then points the samplers at the clip:
    ``total_frames`` becomes the clip length and ``start_index`` the clip's first frame, so every
    sampled index ``offset + start_index`` lies in ``[clip_start, clip_end]`` (both inclusive,
    0-based video frame indices). Use it in place of ``DecordInit``; ``DecordDecode`` and all
    later transforms are mmaction2's.

    A clip that starts past the last frame of its video raises :class:`ClipRangeError`; a clip
    that ends past it is cut at the last frame and flagged with ``clip_truncated = True``
    (:class:`~mmimigue.datasets.MGIMiGUERGBDataset` with ``check_videos=True`` finds and counts
    both cases when it is built, so they never reach the pipeline).

    Required Keys:
        - filename
        - clip_start (int): first frame of the clip in the video (0-based)
        - clip_end (int): last frame of the clip in the video (inclusive)

    Modified Keys:
        - total_frames: the clip's length (not the video's)
        - start_index: ``clip_start``

    Added Keys:
        - video_reader
        - avg_fps
        - video_total_frames: the length of the whole video
        - clip_truncated (bool)

    With ``io_backend='disk'`` the video is opened by path, so decord seeks to the clip instead of
    reading the whole (possibly hour-long) file into memory for every clip as ``DecordInit`` does;
    other backends fall back to ``DecordInit``'s in-memory reading.

    Args:
        io_backend (str): io backend where frames are stored. Defaults to ``'disk'``.
        num_threads (int): Number of decord threads. Defaults to 1.
        width (int): Let decord scale frames to this width while decoding (-1 keeps the
            video's size; with ``height=-1`` the aspect ratio is kept). Defaults to -1.
        height (int): Same for the height. Defaults to -1.
        **kwargs: Passed to the file client.
    """

    def __init__(self, io_backend: str = 'disk', num_threads: int = 1, width: int = -1,
                 height: int = -1, **kwargs) -> None:
        super().__init__(io_backend=io_backend, num_threads=num_threads, **kwargs)
        self.width = width
        self.height = height

    def _get_video_reader(self, filename: str) -> object:
        if self.io_backend != 'disk':
            if self.width != -1 or self.height != -1:
                raise ValueError('MGDecordClipInit: width / height need io_backend="disk"')
            return super()._get_video_reader(filename)
        import decord
        if not osp.isfile(filename):
            raise FileNotFoundError(f'{filename}: video not found; check data_prefix and '
                                    'video_template of the dataset')
        return decord.VideoReader(filename, num_threads=self.num_threads, width=self.width,
                                  height=self.height)

    def transform(self, results: Dict) -> Dict:
        """Open the video and set the clip range for the frame samplers."""
        for key in ('clip_start', 'clip_end'):
            if key not in results:
                raise KeyError(f'MGDecordClipInit needs {key!r} in the sample (the clip range in '
                               'the video); use it with MGIMiGUERGBDataset or add clip_start / '
                               'clip_end to your annotations')
        reader = self._get_video_reader(results['filename'])
        video_frames = len(reader)
        start, end = int(results['clip_start']), int(results['clip_end'])
        if start < 0 or start >= video_frames or end < start:
            raise ClipRangeError(
                f'{results["filename"]}: clip {results.get("frame_dir", "")} spans frames '
                f'{start}..{end} but the video has frames 0..{video_frames - 1}. Fix the labels '
                'or build the dataset with check_videos=True to skip such clips.')
        truncated = end >= video_frames
        end = min(end, video_frames - 1)
        results['video_reader'] = reader
        results['avg_fps'] = reader.get_avg_fps()
        results['video_total_frames'] = video_frames
        results['total_frames'] = end - start + 1
        results['start_index'] = start
        results['clip_truncated'] = truncated
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(io_backend={self.io_backend}, '
                f'num_threads={self.num_threads}, width={self.width}, height={self.height})')
