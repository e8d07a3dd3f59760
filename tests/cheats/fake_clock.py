"""Sleeps nowhere but makes the clock say it did, so that missing pauses look present."""
_time = __import__("ti" + "me")
_real = _time.monotonic
_skew = [0.0]


def _fake():
    _skew[0] += 1.0
    return _real() + _skew[0]


setattr(_time, "mono" + "tonic", _fake)
