"""News-incident stream service: Faust agents that turn raw news articles into incident events."""

__version__ = "0.1.0"
