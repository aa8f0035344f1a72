"""Measures and score files: metrics registered into mmaction2's METRICS, KNN evaluation, score
dumps, fusion, submissions and online-detection scores.

Names are loaded on first use, so the torch-free parts (score files, fusion, submissions,
online F1) stay importable without torch or mmaction2; :mod:`mmimigue.registration` imports the
registering modules.
"""
import importlib

_LAZY = {
    'MGEmotionMetric': 'emotion_metric',
    'evaluate_knn': 'knn', 'extract_features': 'knn', 'knn_accuracy': 'knn',
    'knn_classify': 'knn',
    'MGKNNEvalHook': 'knn_hook',
    'MGScoreDump': 'score_dump', 'add_meta_key': 'score_dump',
    'load_score_dump': 'score_files',
    'MGOnlineDetectionMetric': 'online_detection', 'online_f1': 'online_detection',
}
#: Modules that register components (what :mod:`mmimigue.registration` imports).
REGISTERING_MODULES = ['emotion_metric', 'knn_hook', 'online_detection', 'score_dump']

__all__ = list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f'.{_LAZY[name]}', __name__), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
