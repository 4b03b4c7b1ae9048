"""kenpo: which health-insurance documents to carry, keep, return or renew."""

__version__ = "0.1.0"
