"""Shared serializer pieces: strict input (unknown fields are an error) and money."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, ngettext
from rest_framework import serializers

from annotations.domain.errors import ValidationFailed
from annotations.domain.money import Money, MoneyError


class StrictInputSerializer(serializers.Serializer[Any]):
    """Input serializer that refuses fields it does not know, instead of silently dropping them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise ValidationFailed(
                    ngettext("Unknown field: %(names)s.", "Unknown fields: %(names)s.", len(unknown))
                    % {"names": ", ".join(unknown)},
                    code="unknown_fields",
                    fields={name: [gettext("Unknown field.")] for name in unknown},
                )
        return super().to_internal_value(data)


class MoneySerializer(StrictInputSerializer):
    amount = serializers.CharField(help_text='Decimal string, e.g. "12.50".', max_length=24)
    currency = serializers.CharField(help_text="ISO 4217 code, e.g. USD.", min_length=3, max_length=3)

    def validate(self, attrs: dict[str, Any]) -> Money:
        try:
            return Money.from_decimal(attrs["amount"], attrs["currency"].upper())
        except MoneyError as exc:
            raise serializers.ValidationError(str(exc)) from None


def money_out(money: Money) -> dict[str, str]:
    return {"amount": str(money.as_decimal()), "currency": money.currency}


def dump_many(serializer: type[serializers.BaseSerializer[Any]], objects: Any) -> list[dict[str, Any]]:
    """Serialise a list of objects with an output serializer."""
    return list(serializer(objects, many=True).data)
