"""Real third-party servers that tests start privately (one module per platform), not stand-ins."""
