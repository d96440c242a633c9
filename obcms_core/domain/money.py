"""Peso amounts: exact decimals with two places, never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_money(value: object) -> Decimal:
    """An amount in PHP rounded half-up to the centavo; refuses non-numbers."""
    if isinstance(value, float):
        value = repr(float(value))  # shortest round-trip decimal (numpy floats too)
    try:
        amount = Decimal(str(value).replace(",", "").replace("₱", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"{value!r} is not an amount in pesos") from exc
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount in pesos")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_php(value: object) -> str:
    """An amount as budget documents print it: ₱1,234,567.00 (negative as −₱5.00)."""
    amount = to_money(value)
    sign = "−" if amount < 0 else ""
    return f"{sign}₱{abs(amount):,.2f}"


def safe_rate(numerator: object, denominator: object) -> Decimal | None:
    """numerator ÷ denominator to four places, or None when the denominator is zero."""
    den = Decimal(str(denominator))
    if den == 0:
        return None
    return (Decimal(str(numerator)) / den).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def share_of(total: Decimal, fraction: Decimal) -> Decimal:
    """The part of a peso total a fraction covers, to the centavo."""
    return to_money(total * fraction)
