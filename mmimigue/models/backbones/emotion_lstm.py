"""LSTM aggregator over a video's clip-level MG results (iMiGUE, Sec. 5.4)."""
from typing import Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import BaseModule

from .emotion_sequence_input import check_sequence_input


@MODELS.register_module()
class MGEmotionLSTM(BaseModule):
    """Multi-layer LSTM that reads one vector per clip and returns the video summary.

    iMiGUE feeds the clip-level softmax vectors of a video, in temporal order, into a
    three-layer LSTM and classifies win / lose from the state after the last clip. Integer
    inputs (predicted or ground-truth MG labels) are one-hot encoded to ``in_channels`` classes,
    which is the probability vector of a hard decision.

    Padded steps never enter the recurrence (sequences are packed by length), so the output of
    a video does not depend on the other videos of its batch.

    Args:
        in_channels (int): Size of each input vector, or the number of MG classes for integer
            label inputs. Defaults to 32.
        hidden_channels (int): LSTM hidden size. Defaults to 256.
        num_layers (int): Stacked LSTM layers. Defaults to 3.
        dropout (float): Dropout between LSTM layers. Defaults to 0.
        bidirectional (bool): Use a bidirectional LSTM (output is twice ``hidden_channels``).
            Defaults to False.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 in_channels: int = 32,
                 hidden_channels: int = 256,
                 num_layers: int = 3,
                 dropout: float = 0.0,
                 bidirectional: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.hidden_channels = hidden_channels
        self.bidirectional = bidirectional
        self.lstm = nn.LSTM(in_channels, hidden_channels, num_layers=num_layers,
                            dropout=dropout if num_layers > 1 else 0.0,
                            bidirectional=bidirectional, batch_first=True)
        self.out_channels = hidden_channels * (2 if bidirectional else 1)

    def forward(self, seq: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Summarise each sequence.

        Args:
            seq: (B, L) integer labels or (B, L, in_channels) vectors.
            mask: (B, L) bool, True on real steps (a prefix of each row); all True if None.

        Returns:
            Tensor: (B, out_channels), the last layer's hidden state after each video's last
            real clip (both directions concatenated when bidirectional).
        """
        mask, lengths = check_sequence_input(seq, mask, self.in_channels, type(self).__name__)
        if not torch.is_floating_point(seq):
            seq = F.one_hot(seq.clamp(min=0), self.in_channels).float()
        seq = seq.masked_fill(~mask[..., None], 0.0)
        packed = nn.utils.rnn.pack_padded_sequence(seq, lengths.cpu(), batch_first=True,
                                                   enforce_sorted=False)
        _, (h_n, _) = self.lstm(packed)
        if self.bidirectional:
            return torch.cat([h_n[-2], h_n[-1]], dim=-1)
        return h_n[-1]


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='EmotionLSTM', module=MGEmotionLSTM)
