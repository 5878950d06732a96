"""The tournament domain: pure rules, no I/O."""
