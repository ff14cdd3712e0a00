"""Notices to families when something new is published: consent, the journal, e-mail and push.

Nothing here stores an address or a name: consent and push subscriptions are keyed by rid, and
`notify` reads the address from the register at send time (docs/notify.md).
"""
