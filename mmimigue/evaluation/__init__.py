"""Metrics registered into mmaction2's METRICS."""
from .emotion_metric import EmotionMetric  # noqa: F401
from .knn import evaluate_knn, extract_features, knn_accuracy, knn_classify  # noqa: F401
from .knn_hook import KNNEvalHook  # noqa: F401
from .score_dump import MGScoreDump, add_meta_key, load_score_dump  # noqa: F401
from .online_detection import MGOnlineDetectionMetric, online_f1  # noqa: F401
