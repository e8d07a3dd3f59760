"""The fake clock written plainly."""
import time

_real = time.monotonic
time.monotonic = lambda: _real() * 2
