"""What demos, tools and user code call to run trained models.

* :func:`init_recognizer`: config + checkpoint -> model with ``model.cfg`` (strict loading,
  clear mismatch message), as mmaction2's;
* :func:`clip_scores` / :func:`to_probability`: class scores of in-memory clips;
* :func:`detect_stream`: the MGs of a whole skeleton stream, with an online model or a clip
  recognizer slid over it (:func:`sliding_window_scores`);
* :class:`MGLiveDetector`: a causal stream model fed frame by frame, MG events as soon as they
  are decided (:func:`detect_live` over a recorded stream);
* :func:`class_names_from_config`: the class names that go with a model;
* :func:`merge_rgbpose_init`: RGBPoseConv3D's initialisation from an RGB-only and a pose-only
  model (mmaction2's documented step).

Names are loaded on first use, so ``import mmimigue.apis`` costs nothing until a model is run.
"""
import importlib

_LAZY = {
    'class_names_from_config': 'class_names', 'protocol_class_names': 'class_names',
    'FeatureCatcher': 'clip_inference', 'clip_scores': 'clip_inference',
    'feature_source': 'clip_inference', 'find_feature_layer': 'clip_inference',
    'view_mean_score': 'clip_inference', 'to_probability': 'clip_inference',
    'check_cfg_options': 'config_options',
    'detect_stream': 'stream_detection', 'is_stream_model': 'stream_detection',
    'MGLiveDetector': 'live_detection', 'detect_live': 'live_detection',
    'model_layout': 'stream_detection',
    'CheckpointMismatchError': 'model_loading', 'check_checkpoint_exists': 'model_loading',
    'checkpoint_mismatch_message': 'model_loading', 'init_recognizer': 'model_loading',
    'resolve_work_dir': 'model_loading', 'saved_configs': 'model_loading',
    'merge_rgbpose_init': 'rgbpose_merge',
    'skeleton_test_pipeline': 'sliding_window', 'sliding_window_scores': 'sliding_window',
    'window_clip': 'sliding_window',
}

__all__ = list(_LAZY)


# No module here shares a name with a function it exports: once imported, a submodule becomes
# an attribute of the package and would hide the function of the same name.


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f'.{_LAZY[name]}', __name__), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
