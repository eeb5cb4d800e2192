"""Business rules of biebvoucher: every permission check, transaction and side effect.

Nothing in this package imports NiceGUI, so the rules run the same from a page, a test
or a command-line script.
"""
