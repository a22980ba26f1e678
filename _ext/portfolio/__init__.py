"""Local Sphinx extensions of the portfolio, one concern per module.

Each module has its own ``setup(app)``; ``conf.py`` lists the ones it uses.
"""
