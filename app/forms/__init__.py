"""Forms generated from the JSON Schema files that the BPMN user tasks reference."""

from app.forms.coerce import coerce_form
from app.forms.validation import FormInvalid, validate_form, with_defaults

__all__ = ["FormInvalid", "coerce_form", "validate_form", "with_defaults"]
