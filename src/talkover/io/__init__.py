"""Media -> Waveform: decoding audio and video files to 16 kHz mono float32."""

from talkover.io.waveform import Waveform

__all__ = ["Waveform"]
