"""The key-release service: OpenID Connect sign-in and reader keys wrapped to a device key.

Stateless apart from a small in-memory replay cache: every key derives from the master key, the
login transaction travels in an encrypted cookie, and identities map to rids by HMAC.
"""
