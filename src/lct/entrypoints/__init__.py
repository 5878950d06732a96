"""Entrypoints: the HTTP app (REST v1, hub, web app) and the command line."""
