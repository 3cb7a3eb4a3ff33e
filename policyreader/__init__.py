"""policyreader: a desktop reader for privacy policies."""

__version__ = "0.1.0"
APP_NAME = "policyreader"
APP_ID = "org.policyreader.PolicyReader"
