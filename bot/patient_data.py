"""The patient-data guard: Crowdbot is a staff ideas tool, so text that identifies a patient is never stored.

Two findings, chosen for few false alarms on ordinary staff messages: a valid NHS number (ten digits, alone or
grouped 3-3-4, passing the Modulus 11 check) and a date of birth beside a name (a "DOB"/"date of birth"/"born"
label before a date, or a title such as "Mrs" with a name right before a date). Phone numbers (11 digits, or
grouped otherwise), extensions, amounts, years and dates on their own pass.
"""

from __future__ import annotations

import re

from bot.config import DataProtectionConfig
from bot.errors import UserError

NHS_NUMBER_WEIGHTS = range(10, 1, -1)
# Ten digits standing alone: not part of a longer run of digits, or of a decimal or a phone number's groups.
_NHS_CANDIDATE = re.compile(r"(?<![\d.,+/-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d/]|[.,-]\d|[ -]\d)")
_MONTHS = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[A-Za-z]*\.?"
_DATE = (rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
         rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS},?\s+\d{{2,4}})")
_DOB_LABEL = re.compile(rf"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on)?)\s*[:=\-]?\s*{_DATE}", re.IGNORECASE)
_TITLED_NAME_DATE = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Master|[Pp]atient)\.?\s+[A-Z][A-Za-z'-]+(?:\s+[A-Z][A-Za-z'-]+)?\s*[,(:-]?\s*"
    rf"(?:\(\s*)?{_DATE}")


def is_valid_nhs_number(digits: str) -> bool:
    """The NHS number check digit: Modulus 11 over the first nine digits (a result of 10 is never issued)."""
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], NHS_NUMBER_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_patient_data(text: str) -> str | None:
    """What in `text` looks like patient-identifying data, in words fit to show its author, or None."""
    for match in _NHS_CANDIDATE.finditer(text):
        if is_valid_nhs_number(match.group(1) + match.group(3) + match.group(4)):
            return "an NHS number"
    if _DOB_LABEL.search(text) or _TITLED_NAME_DATE.search(text):
        return "a date of birth next to a name"
    return None


def refuse_patient_data(text: str, *, what: str, settings: DataProtectionConfig) -> None:
    """Raises UserError, naming what was found but not repeating it, when the guard is on and `text` holds it."""
    if not settings.patient_data_guard:
        return
    finding = find_patient_data(text)
    if finding is not None:
        raise UserError(f"I haven't saved or posted your {what}: it looks like it contains {finding}. Crowdbot is "
                        f"for ideas about how we work and must never hold patient details, so please take them "
                        f"out and send it again. {settings.incident_reporting}")
