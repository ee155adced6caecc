"""The staff web app (``brochure serve``): library, patient handout, translator preview.

Importing this package imports nothing else: the server library (Starlette,
uvicorn) is loaded by :mod:`brochure.web.server` and :mod:`brochure.web.app`
only, so ``import brochure`` and the other commands never pay for it.
"""
