"""CLIP-style visual-text head with adaptive prompting (Li, Xing, Liu: visual-text contrastive
micro-gesture recognition), for any mmaction2 backbone."""
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmaction.evaluation import top_k_accuracy
from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS
from mmaction.utils import SampleList
from mmengine.dist import all_reduce, is_distributed

from ..text_encoders.class_text_bank import HANDCRAFTED_TEMPLATES, ClassTextBank
from .adaptive_prompting import MGAdaptivePrompting
from .projection_fnn import ProjectionFNN
from .visual_tokens import visual_tokens

PROMPT_MODES = ('adaptive', 'handcrafted', 'label')


def gt_labels(data_samples: SampleList, device: torch.device) -> torch.Tensor:
    """Stack the ``gt_label`` of every data sample into a ``(n,)`` long tensor."""
    return torch.stack([ds.gt_label.reshape(-1)[0] for ds in data_samples]).long().to(device)


@MODELS.register_module()
class MGVisualTextHead(BaseHead):
    """Stage 1 of the visual-text MG recognizer: align clips with their class-name text.

    * visual: backbone tokens (see :func:`visual_tokens`) -> ``ProjectionFNN`` -> ``v_bar``
      (D); the global average of the tokens gives the clip embedding, the projected tokens are
      the context of adaptive prompting;
    * text: class names -> :class:`ClassTextBank` (pretrained sentence encoder, cached while
      frozen) -> ``ProjectionFNN`` -> ``t_bar`` (D);
    * prompts (``prompt_mode``): ``'adaptive'`` (eq. 1-2, :class:`MGAdaptivePrompting`, bare class
      names), ``'handcrafted'`` (``templates`` averaged, no adaptive module) or ``'label'`` (bare
      class names, no prompting);
    * training: for a batch with labels ``T``, ``S_visual[i, j] = cos(v_bar_i, t_hat(T_j | clip
      i)) / tau`` where ``t_hat(T_j | clip i)`` is the text of clip ``j``'s class prompted with
      the context of the clip being scored, ``S_text = S_visual^T``, loss = ``loss_cls``
      (default :class:`MGVisualTextKLLoss`, eq. 3-4). Prompting every text with the scored
      clip's context makes training compute exactly what prediction computes. (Prompting
      ``t_hat_j`` with clip ``j``'s own context instead lets the prompt carry clip ``j``'s
      visual identity: the loss then falls while text-similarity accuracy stays near chance,
      see docs/visual_text.md.) Without adaptive prompting both readings coincide;
    * prediction (no stage 2 needed): the score of class ``c`` for clip ``i`` is the scaled
      cosine similarity of ``v_bar_i`` and ``t_hat_{i,c}``, plus (``prior_correction``) the log
      of class ``c``'s share of the training labels. Several views (test clips) of a sample are
      pooled into one token sequence.

    Why the prior correction: the loss is a softmax over the *batch's* texts, in which class ``c``
    appears as often as it has clips in the batch, i.e. in proportion to its training frequency
    ``pi_c``. The similarities therefore learn ``log p(c | x) - log pi_c`` (the sampled-softmax
    bias, cf. the logQ correction of Yi et al., RecSys 2019), and ranking all classes by bare
    similarity predicts as if the classes were balanced: good mean class accuracy, poor top-1 on
    a long-tailed test set. Adding ``log pi_c`` restores what training saw. The head counts the
    training labels itself (``label_counts`` buffer, summed over all processes, saved in the
    checkpoint); set ``prior_correction=False`` for the paper's bare similarity (balanced
    prediction).

    Args:
        num_classes (int): Number of classes (must equal the number of class names).
        in_channels (int): Channels of the backbone output.
        class_names (str | list[str]): ``'imigue'``, ``'smg'`` or names in label order.
        text_encoder (dict): Text encoder config. Defaults to all-MiniLM-L6-v2 from the
            ``text`` extra (``dict(type='MGPretrainedSentenceEncoder')``); ``MGHashTextEncoder``
            needs no package.
        text_trainable (bool): Fine-tune the text encoder (the paper does, at lr 1e-5). When
            False its class embeddings are computed once and cached. Defaults to False.
        prompt_mode (str): ``'adaptive'`` | ``'handcrafted'`` | ``'label'``.
        templates (list[str]): Handcrafted templates (used in ``'handcrafted'`` mode only).
        embed_dims (int): D of the joint space. Defaults to 256.
        visual_format (str): Backbone output layout, ``'gcn'`` | ``'3d'`` | ``'2d'`` | ``'vector'``.
        context_tokens (str): ``'temporal'`` or ``'all'`` tokens for adaptive prompting.
        prompting (dict): Keyword arguments of :class:`MGAdaptivePrompting` (``num_heads``,
            ``ffn_ratio``, ``lambda_init``, ``dropout``).
        temperature (float): tau. Defaults to 0.05.
        dropout (float): Dropout inside the projection FNNs. Defaults to 0.
        loss_cls (dict): Alignment loss. Defaults to ``dict(type='MGVisualTextKLLoss')``.
        prior_correction (bool): Add ``log`` of the training class frequencies to the
            prediction logits (see above). Defaults to True.
        average_clips (str): How :meth:`predict` turns similarities into scores
            (``'prob'``: softmax). Defaults to ``'prob'``.
        topk (tuple[int]): Accuracies logged during training. Defaults to ``(1, 5)``.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 class_names: Union[str, Sequence[str]] = 'imigue',
                 text_encoder: dict = dict(type='MGPretrainedSentenceEncoder'),
                 text_trainable: bool = False,
                 prompt_mode: str = 'adaptive',
                 templates: Sequence[str] = HANDCRAFTED_TEMPLATES,
                 embed_dims: int = 256,
                 visual_format: str = 'gcn',
                 context_tokens: str = 'temporal',
                 prompting: dict = dict(num_heads=8, ffn_ratio=4, lambda_init=0.1, dropout=0.0),
                 temperature: float = 0.05,
                 dropout: float = 0.0,
                 loss_cls: dict = dict(type='MGVisualTextKLLoss'),
                 prior_correction: bool = True,
                 average_clips: Optional[str] = 'prob',
                 topk: Tuple[int, ...] = (1, 5),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(num_classes, in_channels, loss_cls=loss_cls, topk=topk,
                         average_clips=average_clips, init_cfg=init_cfg)
        if prompt_mode not in PROMPT_MODES:
            raise ValueError(f'prompt_mode={prompt_mode!r}; expected one of {PROMPT_MODES}')
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        self.prompt_mode = prompt_mode
        self.visual_format = visual_format
        self.context_tokens = context_tokens
        self.temperature = float(temperature)
        self.embed_dims = embed_dims
        self.text_bank = ClassTextBank(
            class_names, text_encoder,
            templates=templates if prompt_mode == 'handcrafted' else None,
            trainable=text_trainable)
        if self.text_bank.num_classes != num_classes:
            raise ValueError(f'num_classes={num_classes} but {self.text_bank.num_classes} class '
                             f'names were given ({self.text_bank.class_names[:3]}...)')
        self.visual_proj = ProjectionFNN(in_channels, embed_dims, dropout=dropout)
        self.text_proj = ProjectionFNN(self.text_bank.embed_dims, embed_dims, dropout=dropout)
        self.prompting = (MGAdaptivePrompting(embed_dims, **prompting)
                          if prompt_mode == 'adaptive' else None)
        self.prior_correction = prior_correction
        # training labels seen so far (all processes): the class prior of the prior correction
        self.register_buffer('label_counts', torch.zeros(num_classes))

    # ----------------------------------------------------------------- embeddings
    def embed_visual(self, feats: torch.Tensor, num_samples: int
                     ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Backbone output -> (``v_bar`` of shape (N, D), projected context tokens (N, L, D))."""
        tokens = visual_tokens(feats, self.visual_format, num_samples, self.context_tokens)
        return self.visual_proj(tokens.mean(dim=1)), self.visual_proj(tokens)

    def embed_text(self) -> torch.Tensor:
        """``t_bar`` of every class, shape (C, D)."""
        return self.text_proj(self.text_bank())

    def prompt(self, text: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        """``t_hat``: text ``(Q, D)`` or ``(N, Q, D)`` given context ``(N, L, D)`` -> ``(N, Q, D)``."""
        if self.prompting is not None:
            return self.prompting(text, context)
        if text.dim() == 2:
            text = text.unsqueeze(0).expand(context.shape[0], -1, -1)
        return text

    def class_logits(self, visual: torch.Tensor, context: torch.Tensor) -> torch.Tensor:
        """Scaled cosine similarity of each clip with every prompted class text, (N, C)."""
        text = self.prompt(self.embed_text(), context)
        return torch.einsum('nd,ncd->nc', F.normalize(visual, dim=-1),
                            F.normalize(text, dim=-1)) / self.temperature

    @staticmethod
    def _num_samples(x: torch.Tensor, num_segs: Optional[int], num_samples: Optional[int]) -> int:
        if num_samples is not None:
            return num_samples
        x = x[-1] if isinstance(x, (tuple, list)) else x
        return x.shape[0] // num_segs if num_segs else x.shape[0]

    # ----------------------------------------------------------------- mmaction2 head API
    def forward(self, x: torch.Tensor, num_segs: Optional[int] = None,
                num_samples: Optional[int] = None, **kwargs) -> torch.Tensor:
        """Class similarity logits, shape (N, num_classes).

        Args:
            x (torch.Tensor): Backbone output in ``visual_format``.
            num_segs (int, optional): Segments per sample (Recognizer2D passes it).
            num_samples (int, optional): Samples in the batch; defaults to ``B' / num_segs``.
        """
        visual, context = self.embed_visual(x, self._num_samples(x, num_segs, num_samples))
        return self.class_logits(visual, context)

    def log_prior(self) -> torch.Tensor:
        """``log pi_c`` from the counted training labels (add-one smoothed; uniform before any
        training, so the correction is then a no-op), shape (C,)."""
        counts = self.label_counts + 1
        return torch.log(counts / counts.sum())

    def count_labels(self, labels: torch.Tensor) -> None:
        """Add a training batch's labels (of every process) to ``label_counts``."""
        counts = torch.bincount(labels, minlength=self.num_classes).to(self.label_counts)
        if is_distributed():
            all_reduce(counts)  # every rank keeps the same prior
        self.label_counts += counts

    def loss(self, feats: torch.Tensor, data_samples: SampleList, **kwargs) -> Dict:
        """Alignment loss of eq. 3 on the batch, plus top-k accuracies of text prediction."""
        labels = gt_labels(data_samples, self.visual_proj[0].weight.device)
        self.count_labels(labels)
        visual, context = self.embed_visual(feats, len(data_samples))
        logits = self.class_logits(visual, context)  # (n, C): every class, each clip's context
        sim_visual = logits[:, labels]  # (n, n): clip i vs the class text of clip j
        losses = dict()
        loss = self.loss_cls(sim_visual, labels)
        if isinstance(loss, dict):
            losses.update(loss)
        else:
            losses['loss_cls'] = loss
        with torch.no_grad():
            accs = top_k_accuracy(logits.detach().cpu().numpy(), labels.cpu().numpy(), self.topk)
        for k, a in zip(self.topk, accs):
            losses[f'top{k}_acc'] = torch.tensor(a, device=labels.device)
        return losses

    def predict(self, feats: torch.Tensor, data_samples: SampleList, **kwargs) -> SampleList:
        """Direct prediction by text similarity (stage 2 not needed), prior-corrected."""
        logits = self(feats, num_samples=len(data_samples))
        if self.prior_correction:
            logits = logits + self.log_prior()
        return self.predict_by_feat(logits, data_samples)


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='VisualTextHead', module=MGVisualTextHead)
