"""SMG protocol: 17 classes (order unconfirmed), 40 subjects, test subjects 36-40."""
import json
import os.path as osp
from functools import lru_cache
from typing import List

SMG_NUM_CLASSES = 17
_JSON = osp.join(osp.dirname(__file__), 'smg.json')


@lru_cache(maxsize=1)
def smg_protocol() -> dict:
    """The packaged SMG protocol facts as a dict."""
    with open(_JSON) as f:
        return json.load(f)


def smg_class_names() -> List[str]:
    """Class names in the order of one public sample file (not confirmed to equal label-1)."""
    return list(smg_protocol()['classes_unverified_order'])
