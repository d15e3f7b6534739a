"""Media -> Waveform: decoding audio and video files to 16 kHz mono float32."""

from talkover.io.decode import decode_audio, decode_channels, probe_duration_s
from talkover.io.waveform import Waveform

__all__ = ["Waveform", "decode_audio", "decode_channels", "probe_duration_s"]
