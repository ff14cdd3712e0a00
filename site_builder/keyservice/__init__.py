"""The key-release service: OpenID Connect sign-in and reader keys wrapped to a device key.

Every key derives from the master key and identities map to rids by HMAC, so the service needs no
register. Its only state is short-lived — spent handoffs and nonces, rate-limit counters, pending
login transactions — in a store: in-process by default, Redis when several instances share it.
"""
