"""LetChooseTeams: a football video-game tournament in a minute."""

__version__ = "2.0.0"
