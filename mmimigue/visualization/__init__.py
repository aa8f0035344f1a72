"""Figures and annotated videos. Every module imports matplotlib / OpenCV only inside the
functions that draw, so importing this room is cheap.

* :mod:`~mmimigue.visualization.timeline`: the demo's MG timeline;
* :mod:`~mmimigue.visualization.annotated_video`: skeleton and current MG drawn on a video;
* :mod:`~mmimigue.visualization.confusion`: confusion matrices;
* :mod:`~mmimigue.visualization.augmentations`: augmentation grids;
* :mod:`~mmimigue.visualization.dataset_stats`: class and length statistics plots.
"""
