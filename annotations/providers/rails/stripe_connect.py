"""Stripe Connect: pay a freelancer's Express connected account with a transfer from the platform balance.

Everything goes through the `stripe` SDK's `StripeClient` (v1 API). The SDK's own network retries are off: the
Celery task that calls `transfer` retries with the same idempotency key, and Stripe replays the first answer to a
key (for ~24 h, 500s included), so a retry after a lost answer never pays twice.

Errors: no answer, 409 (a request with the same key still in progress), 429 and 5xx are `TransientProviderError`;
every other refusal is `PermanentRailError` with Stripe's error code (or its type when it has none) and request id.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import stripe

from annotations.providers.rails import PermanentRailError, TransientProviderError, WebhookRejected
from annotations.providers.rails.types import RailEvent, RailItem, RailItemStatus

WEBHOOK_TOLERANCE_SECONDS: Final = 300
LIST_PAGE_SIZE: Final = 100  # the most Stripe's list endpoints answer per page

# Where Stripe Connect can pay a connected account from our (US) platform, and in which currency.
#
# Source: https://docs.stripe.com/connect/cross-border-payouts ("Availability"): platforms based in the US, UK, EEA,
# Canada or Switzerland can transfer funds to connected accounts in any of those regions, and Stripe does not support
# self-serve cross-border payouts to countries outside them (Global Payouts or a sales contract are the alternatives,
# and are not what this adapter does). An older revision of that page listed more countries (Brazil, India, Mexico,
# ...) for US platforms; the current page no longer does, so they are not here. Freelancers elsewhere use PayPal.
#
# The currency is the one the account's bank account is paid in: the country's own currency. Croatia has used the
# euro since 2023 and Bulgaria since 1 January 2026. Iceland is in the EEA but is on none of Stripe's lists of
# countries where accounts can be opened, so it is left out; Liechtenstein's currency is the Swiss franc.
CONNECT_PAYOUT_COUNTRIES: Final[dict[str, tuple[str, str]]] = {
    # country: (name, payout currency)
    "US": ("the United States", "USD"),
    "CA": ("Canada", "CAD"),
    "GB": ("the United Kingdom", "GBP"),
    "CH": ("Switzerland", "CHF"),
    # EEA: the 27 EU member states
    "AT": ("Austria", "EUR"),
    "BE": ("Belgium", "EUR"),
    "BG": ("Bulgaria", "EUR"),
    "HR": ("Croatia", "EUR"),
    "CY": ("Cyprus", "EUR"),
    "CZ": ("the Czech Republic", "CZK"),
    "DK": ("Denmark", "DKK"),
    "EE": ("Estonia", "EUR"),
    "FI": ("Finland", "EUR"),
    "FR": ("France", "EUR"),
    "DE": ("Germany", "EUR"),
    "GR": ("Greece", "EUR"),
    "HU": ("Hungary", "HUF"),
    "IE": ("Ireland", "EUR"),
    "IT": ("Italy", "EUR"),
    "LV": ("Latvia", "EUR"),
    "LT": ("Lithuania", "EUR"),
    "LU": ("Luxembourg", "EUR"),
    "MT": ("Malta", "EUR"),
    "NL": ("the Netherlands", "EUR"),
    "PL": ("Poland", "PLN"),
    "PT": ("Portugal", "EUR"),
    "RO": ("Romania", "RON"),
    "SK": ("Slovakia", "EUR"),
    "SI": ("Slovenia", "EUR"),
    "ES": ("Spain", "EUR"),
    "SE": ("Sweden", "SEK"),
    # EEA outside the EU
    "LI": ("Liechtenstein", "CHF"),
    "NO": ("Norway", "NOK"),
}

# Names for the refusal sentence when the country is not in the table (the rest show their code).
_OTHER_COUNTRY_NAMES: Final[dict[str, str]] = {
    "AU": "Australia",
    "BR": "Brazil",
    "IN": "India",
    "IS": "Iceland",
    "JP": "Japan",
    "MX": "Mexico",
    "NG": "Nigeria",
    "PH": "the Philippines",
}


@dataclass(frozen=True, slots=True)
class ConnectAccountState:
    """What a connected account can do now, as Stripe says."""

    account: str
    payouts_enabled: bool
    transfers_active: bool  # capabilities.transfers == "active": transfers to the account are accepted
    requirements_due: list[str]  # requirements.currently_due: what onboarding still has to collect
    country: str
    default_currency: str
    disabled_reason: str | None


@contextmanager
def _stripe_errors() -> Iterator[None]:
    """Turn the SDK's exceptions into the rail's two kinds."""
    try:
        yield
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        raise TransientProviderError(f"Stripe: {exc}") from exc
    except stripe.StripeError as exc:
        status = exc.http_status or 0
        if status >= 500 or status == 409:
            # 409: another request with this idempotency key is still running; the SDK itself retries 409s.
            raise TransientProviderError(f"Stripe answered {status}: {exc}") from exc
        # Some SDK errors (403, idempotency errors) leave `code` unset; the error object still has Stripe's own.
        error = exc.error
        code = exc.code or (error.code if error is not None else None) or (error.type if error is not None else None)
        code = code or type(exc).__name__
        message = exc.user_message
        raise PermanentRailError(str(code), str(message) if message else str(exc), exc.request_id or "") from exc


def _transfer_status(transfer: stripe.Transfer, key: str = "") -> RailItemStatus:
    """A transfer to a connected account settles at once: it is confirmed, unless it was reversed."""
    status = _transfer_status_from_dict(transfer.to_dict())
    if key and status.key != key:
        status = RailItemStatus(
            key=key,
            ref=status.ref,
            status=status.status,
            amount_minor=status.amount_minor,
            currency=status.currency,
            reason=status.reason,
        )
    return status


def _transfer_status_from_dict(obj: dict[str, Any]) -> RailItemStatus:
    metadata = obj.get("metadata") or {}
    reversed_ = bool(obj.get("reversed"))  # fully reversed; a partial reversal leaves the transfer confirmed
    amount = obj.get("amount")
    return RailItemStatus(
        key=str(metadata.get("payout_key", "")),
        ref=str(obj.get("id", "")),
        status="reversed" if reversed_ else "confirmed",
        amount_minor=int(amount) if isinstance(amount, int) else None,
        currency=str(obj.get("currency", "")).upper(),
        reason="reversed by the platform" if reversed_ else "",
    )


def _country_name(country: str) -> str:
    if country in CONNECT_PAYOUT_COUNTRIES:
        return CONNECT_PAYOUT_COUNTRIES[country][0]
    return _OTHER_COUNTRY_NAMES.get(country, country)


class StripeConnectRail:
    """The Stripe Connect payout rail: Express accounts, hosted onboarding, transfers, webhooks."""

    def __init__(
        self,
        api_key: str,
        webhook_secret: str,
        api_base: str | None = None,
        *,
        timeout_seconds: float = 30.0,
    ) -> None:
        base = api_base.rstrip("/") if api_base else None
        self._client = stripe.StripeClient(
            api_key,
            # Both the API and Connect's OAuth host point at the loopback server when one is given.
            base_addresses={"api": base, "connect": base} if base else None,
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=timeout_seconds),
        )
        self._webhook_secret = webhook_secret

    # --- accounts -----------------------------------------------------------------------------------------------
    def create_account(self, *, key: str, email: str, country: str) -> str:
        """An Express connected account for a freelancer; `key` makes a repeated call answer the same account."""
        with _stripe_errors():
            account = self._client.v1.accounts.create(
                params={
                    "type": "express",
                    "country": country,
                    "email": email,
                    "business_type": "individual",
                    "capabilities": {"transfers": {"requested": True}},
                },
                options={"idempotency_key": key},
            )
        return account.id

    def onboarding_link(self, *, account: str, refresh_url: str, return_url: str) -> str:
        """A single-use link to Stripe's hosted onboarding; it expires after a few minutes (then refresh_url)."""
        with _stripe_errors():
            link = self._client.v1.account_links.create(
                params={
                    "account": account,
                    "refresh_url": refresh_url,
                    "return_url": return_url,
                    "type": "account_onboarding",
                }
            )
        return link.url

    def account_state(self, account: str) -> ConnectAccountState:
        with _stripe_errors():
            acct = self._client.v1.accounts.retrieve(account)
        capabilities = acct.capabilities
        requirements = acct.requirements
        return ConnectAccountState(
            account=acct.id,
            payouts_enabled=bool(acct.payouts_enabled),
            transfers_active=capabilities is not None and capabilities.transfers == "active",
            requirements_due=list(requirements.currently_due or []) if requirements is not None else [],
            country=(acct.country or "").upper(),
            default_currency=(acct.default_currency or "").upper(),
            disabled_reason=requirements.disabled_reason if requirements is not None else None,
        )

    # --- transfers ----------------------------------------------------------------------------------------------
    def transfer(self, item: RailItem) -> RailItemStatus:
        """Move `item.amount_minor` from the platform balance to the connected account `item.receiver`.

        The payout's idempotency key goes to Stripe on every attempt, so a retry after a lost answer gets the first
        transfer back instead of a second one."""
        with _stripe_errors():
            transfer = self._client.v1.transfers.create(
                params={
                    "amount": item.amount_minor,
                    "currency": item.currency.lower(),
                    "destination": item.receiver,
                    "description": item.note,
                    "metadata": {"payout_key": item.key},
                },
                options={"idempotency_key": item.key},
            )
        return _transfer_status(transfer, item.key)

    def transfer_status(self, key: str, *, created_gte: int | None = None) -> RailItemStatus | None:
        """The transfer made for payout `key`, found by its metadata, or None when Stripe has none: for when our
        side lost the answer and cannot tell whether the transfer happened. Pass `created_gte` (the payout's first
        attempt, as a Unix time) to read fewer pages."""
        for status in self._transfers(created_gte):
            if status.key == key:
                return status
        return None

    def transfers_since(self, created_gte: int, *, page_size: int = LIST_PAGE_SIZE) -> Iterator[RailItemStatus]:
        """Every transfer created at or after `created_gte`, newest first, across as many pages as there are."""
        return self._transfers(created_gte, page_size=page_size)

    def _transfers(self, created_gte: int | None, *, page_size: int = LIST_PAGE_SIZE) -> Iterator[RailItemStatus]:
        params: stripe.params.TransferListParams = {"limit": page_size}
        if created_gte is not None:
            params["created"] = {"gte": created_gte}
        with _stripe_errors():
            page = self._client.v1.transfers.list(params=params)
            # The next pages are fetched while iterating, so errors there are mapped here too.
            for transfer in page.auto_paging_iter():
                yield _transfer_status(transfer)

    # --- webhooks -----------------------------------------------------------------------------------------------
    def parse_webhook(self, payload: bytes, signature_header: str) -> RailEvent:
        """Verify a webhook with the SDK's signature check and say what it means for us.

        The caller processes each event id once: Stripe delivers an event at least once, for up to three days, and
        not in order."""
        try:
            event = self._client.construct_event(
                payload, signature_header, self._webhook_secret, tolerance=WEBHOOK_TOLERANCE_SECONDS
            )
            raw: dict[str, Any] = json.loads(payload)
        except stripe.SignatureVerificationError as exc:
            raise WebhookRejected(f"Stripe signature check failed: {exc.user_message}") from exc
        except ValueError as exc:  # not JSON, not UTF-8, or not an event
            raise WebhookRejected(f"not a Stripe event: {exc}") from exc
        obj = (raw.get("data") or {}).get("object") or {}
        if not isinstance(obj, dict):
            raise WebhookRejected("the event has no data.object")
        event_type = event.type
        if event_type in ("transfer.created", "transfer.updated", "transfer.reversed"):
            item = _transfer_status_from_dict(obj)
            if event_type == "transfer.reversed" and item.status != "reversed":
                item = RailItemStatus(
                    key=item.key,
                    ref=item.ref,
                    status="reversed",
                    amount_minor=item.amount_minor,
                    currency=item.currency,
                    reason="reversed by the platform",
                )
            return RailEvent(id=event.id, type=event_type, item=item, raw=raw)
        if event_type == "account.updated":
            return RailEvent(id=event.id, type=event_type, account=str(obj.get("id", "")), raw=raw)
        return RailEvent(id=event.id, type=event_type, raw=raw)

    # --- reach --------------------------------------------------------------------------------------------------
    @staticmethod
    def can_pay(*, country: str, currency: str) -> str | None:
        """None when Connect can pay an account in `country` in `currency`; otherwise a sentence for the freelancer."""
        country, currency = country.strip().upper(), currency.strip().upper()
        entry = CONNECT_PAYOUT_COUNTRIES.get(country)
        if entry is None:
            return f"Stripe cannot pay out to accounts in {_country_name(country)} from this platform; choose PayPal."
        name, local = entry
        if currency != local:
            return f"Stripe pays accounts in {name} in {local}, not {currency}; choose {local} or PayPal."
        return None
