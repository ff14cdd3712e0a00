"""A development e-ID provider for tests and demos: a real OpenID Connect provider with signed ID
tokens and a persona picker built from the export's register. TESTMILJÖ — never for production.
"""
