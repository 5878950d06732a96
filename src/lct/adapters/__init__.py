"""Adapters for the ports: event stores and brokers, chosen by URL in the settings."""
