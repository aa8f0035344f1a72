"""The pickle content both challenge converters (CSV package, packed arrays) end with."""
from collections import Counter
from typing import Dict, List, Optional, Sequence, Tuple

from ...protocol.imigue_splits import challenge_splits
from ..keypoint_store import write_pose_pickle


def challenge_content(fmt: str, groups: Dict[str, List[str]], annotations: List[dict],
                      counts: Counter, count_keys: Sequence[str], skipped: List[Tuple[str, str]],
                      split_file: Optional[str], layout: str, unavailable: List[str],
                      missing_joints: str, out_file: Optional[str], storage: str,
                      inputs: Sequence[str] = ()) -> dict:
    """Splits, summary (``clips`` plus ``count_keys`` of ``counts``) and ``meta``; written to
    ``out_file`` when given."""
    split = challenge_splits(groups, annotations, split_file)
    summary = dict(format=fmt, clips=len(annotations), **{k: counts[k] for k in count_keys},
                   skipped=skipped, split_sizes={k: len(v) for k, v in split.items()})
    content = dict(split=split, annotations=annotations, summary=summary,
                   meta=dict(format=fmt, keypoint_layout=layout, unavailable_fields=unavailable,
                             missing_joints=missing_joints))
    if out_file:
        write_pose_pickle(content, out_file, storage, inputs)
    return content
