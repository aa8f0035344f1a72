"""What demos, tools and user code call to run trained models.

* :func:`init_recognizer`: config + checkpoint -> model with ``model.cfg`` (strict loading,
  clear mismatch message), as mmaction2's;
* :func:`clip_scores` / :func:`to_probability`: class scores of in-memory clips;
* :func:`detect_stream`: the MGs of a whole skeleton stream, with an online model or a clip
  recognizer slid over it (:func:`sliding_window_scores`);
* :func:`class_names_from_config`: the class names that go with a model.
"""
from .class_names import class_names_from_config, protocol_class_names
from .clip_scores import (FeatureCatcher, clip_scores, feature_source, find_feature_layer,
                          to_probability, view_mean_score)
from .config_options import check_cfg_options
from .detect_stream import detect_stream, is_stream_model, model_layout
from .model_loading import (CheckpointMismatchError, check_checkpoint_exists,
                            checkpoint_mismatch_message, init_recognizer, resolve_work_dir,
                            saved_configs)
from .sliding_window import skeleton_test_pipeline, sliding_window_scores, window_clip

__all__ = [
    'check_cfg_options', 'class_names_from_config', 'protocol_class_names', 'FeatureCatcher',
    'clip_scores', 'feature_source', 'find_feature_layer', 'to_probability', 'view_mean_score',
    'detect_stream', 'is_stream_model', 'model_layout', 'CheckpointMismatchError',
    'check_checkpoint_exists', 'checkpoint_mismatch_message', 'init_recognizer',
    'resolve_work_dir', 'saved_configs', 'skeleton_test_pipeline', 'sliding_window_scores',
    'window_clip'
]
