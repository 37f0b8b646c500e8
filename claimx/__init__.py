"""claimx: attributed claims from Arabic news, with exact offsets.

    >>> import claimx
    >>> recs = claimx.extract("قال المرصد السوري إن الاشتباكات مستمرة.")
    >>> recs[0]["source"]["text"], recs[0]["content"]["text"]
    ('المرصد السوري', 'الاشتباكات مستمرة')
"""
__version__ = "0.1.0"


def extract(text: str, doc_id: str = "-") -> list[dict]:
    """Claim records of one text. See `claimx.pipeline.Pipeline` for batches.

    Importing the submodule `claimx.extract` rebinds this name to the module;
    that module is callable with the same signature, so both spellings work.
    """
    from .extract import extract as _extract

    return _extract(text, doc_id)


__all__ = ["extract", "__version__"]
