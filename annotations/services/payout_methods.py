"""Payout methods: where a freelancer's money goes, and the safety around changing it.

- Adding a method, making it the default and removing one need a recent login (and the second factor where the
  person has one); the view says whether the session has it (`confirmed`), and without it the answer is 403
  `reauthentication_required`, which the browser answers by asking for the password or code again.
- A PayPal (or sandbox) address is verified by a code mailed to it; a Stripe account by Stripe's own onboarding.
- Every change mails the freelancer's own address and is audited. A method added or made the default is paid only
  after `PAYOUT_METHOD_HOLD_HOURS`; one whose name differs from the profile's waits for an admin as well.
- One default per freelancer, and each address once per rail, are constraints in the database: two tabs adding the
  same address, or making two methods the default, end with one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from annotations.domain import payout_methods as rules
from annotations.domain.errors import Conflict, NotFound, PermissionDenied, Throttled, ValidationFailed
from annotations.models import PayoutMethod, PayoutMethodReview, PayoutMethodStatus, PayoutRail, Role, User
from annotations.providers.rails import registry
from annotations.services.audit import audit_record
from annotations.services.mail import mail_send
from annotations.services.notifications import verified_address

REAUTH_MESSAGE = gettext_lazy(
    "Confirm it is you (your password, or your authentication code) before changing payout details."
)


def _freelancer(actor: User) -> None:
    if actor.role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers have payout methods."))


def _confirmed(confirmed: bool) -> None:
    if not confirmed:
        raise PermissionDenied(REAUTH_MESSAGE, code="reauthentication_required")


def _serialise(user_id: int) -> None:
    """Changes to one freelancer's methods take their user row's lock first, so two tabs take turns (the
    constraints stay the backstop)."""
    User.objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True).first()


def _own(actor: User, method_id: int, *, lock: bool = False) -> PayoutMethod:
    rows = PayoutMethod.objects.select_for_update() if lock else PayoutMethod.objects.all()
    method = rows.filter(pk=method_id, freelancer=actor).exclude(status=PayoutMethodStatus.REMOVED).first()
    if method is None:
        raise NotFound(gettext("No such payout method."))
    return method


def _own_to_change(actor: User, method_id: int, confirmed: bool) -> PayoutMethod:
    """In the caller's transaction: the freelancer's row lock, then their method (404 for anyone else's), then the
    recent-login rule."""
    _serialise(actor.pk)
    method = _own(actor, method_id, lock=True)
    _confirmed(confirmed)
    return method


def _hold_until() -> datetime:
    return timezone.now() + timedelta(hours=settings.PAYOUT_METHOD_HOLD_HOURS)


def describe(method: PayoutMethod) -> str:
    where = method.receiver if method.rail != PayoutRail.STRIPE else f"{method.account_name}, {method.country}"
    return f"{method.get_rail_display()} \u2013 {where} ({method.currency})"


def _tell_owner(method: PayoutMethod, change: str, event: str) -> None:
    """The security notice to the freelancer's own address: sent whatever their notification settings say."""
    owner = method.freelancer
    address = verified_address(owner)
    if address is None:
        return
    mail_send(
        to=address,
        template="payout_method_changed",
        context={
            "recipient_name": owner.shown_name,
            "change": change,
            "method": describe(method),
            "hold_until": method.hold_until if event in ("added", "default") else None,
            "link": f"{settings.SITE_URL}/earnings/methods",
        },
        key=f"payout-method:{method.pk}:{event}:{timezone.now().isoformat()}",
        user=owner,
    )


def _send_code(method: PayoutMethod) -> None:
    code = rules.new_code()
    method.code_hash = rules.code_digest(code, secret=settings.SECRET_KEY, method_id=method.pk)
    method.code_sent_at, method.code_attempts = timezone.now(), 0
    method.save(update_fields=["code_hash", "code_sent_at", "code_attempts", "updated_at"])
    mail_send(
        to=method.receiver,
        template="payout_method_code",
        context={
            "name": method.freelancer.shown_name,
            "rail": method.get_rail_display(),
            "code": code,
            "minutes": rules.CODE_MINUTES,
        },
        key=None,
        user=method.freelancer,
    )


def _validate(rail: str, receiver: str, account_name: str, country: str, currency: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if rail not in registry.offered():
        offered = ", ".join(PayoutRail(r).label for r in registry.offered())
        errors["rail"] = [
            gettext("Atelier does not pay through that here. Choose one of: %(offered)s.") % {"offered": offered}
        ]
        return errors
    if rail != PayoutRail.STRIPE:
        try:
            validate_email(receiver)
        except ValidationError:
            errors["receiver"] = [gettext("Enter the email address of your PayPal account.")]
    if not account_name.strip():
        errors["account_name"] = [gettext("Enter the name on the account, as the rail knows it.")]
    if len(country) != 2 or not country.isalpha():
        errors["country"] = [gettext("Choose the country of the account.")]
    if len(currency) != 3 or not currency.isalpha():
        errors["currency"] = [gettext("Choose the currency to be paid in.")]
    if not errors:
        problem = registry.can_pay(rail, country=country, currency=currency)
        if problem:
            errors["currency" if "pay in" in problem or "out in" in problem else "country"] = [problem]
    return errors


def payout_method_add(
    *,
    actor: User,
    rail: str,
    receiver: str = "",
    account_name: str,
    country: str,
    currency: str,
    confirmed: bool,
) -> PayoutMethod:
    """Add a method, unverified: a code goes to a PayPal or sandbox address; a Stripe account is created and
    waits for its onboarding (`payout_method_onboarding_link`)."""
    _freelancer(actor)
    receiver, country, currency = receiver.strip().lower(), country.strip().upper(), currency.strip().upper()
    errors = _validate(rail, receiver, account_name, country, currency)
    if errors:
        raise ValidationFailed(gettext("Some fields are invalid."), fields=errors)
    _confirmed(confirmed)
    mismatch = not rules.names_match(account_name, actor.shown_name)
    try:
        with transaction.atomic():
            _serialise(actor.pk)
            method = PayoutMethod.objects.create(
                freelancer=actor,
                rail=rail,
                receiver=receiver if rail != PayoutRail.STRIPE else "",
                account_name=account_name.strip(),
                country=country,
                currency=currency,
                review=PayoutMethodReview.HELD if mismatch else PayoutMethodReview.CLEAR,
                hold_until=_hold_until(),
            )
            audit_record(
                actor=actor,
                action="payout_method.added",
                target=method,
                data={"rail": rail, "country": country, "currency": currency, "name_mismatch": mismatch},
            )
            if rail == PayoutRail.STRIPE:
                _stripe_account(method)
            else:
                _send_code(method)
            _tell_owner(method, "a payout method was added", "added")
    except IntegrityError:
        raise Conflict(gettext("You have added this address already."), code="already_added") from None
    return method


def _stripe_account(method: PayoutMethod) -> None:
    account = registry.stripe().create_account(
        key=f"payout-method:{method.pk}", email=verified_address(method.freelancer) or "", country=method.country
    )
    method.receiver = account
    method.save(update_fields=["receiver", "updated_at"])


def payout_method_onboarding_link(*, actor: User, method_id: int) -> str:
    """Stripe's hosted onboarding for the method's connected account; it returns to the payout methods page."""
    _freelancer(actor)
    method = _own(actor, method_id)
    if method.rail != PayoutRail.STRIPE:
        raise Conflict(gettext("Only a Stripe method has an onboarding."), code="not_stripe")
    page = f"{settings.SITE_URL}/earnings/methods"
    return registry.stripe().onboarding_link(
        account=method.receiver, refresh_url=f"{page}?onboarding={method.pk}", return_url=f"{page}?returned={method.pk}"
    )


def payout_method_refresh(*, method: PayoutMethod) -> PayoutMethod:
    """Read a Stripe method's account from Stripe (on return from onboarding, or an `account.updated` webhook)."""
    if method.rail != PayoutRail.STRIPE or method.status != PayoutMethodStatus.UNVERIFIED or not method.receiver:
        return method
    state = registry.stripe().account_state(method.receiver)
    if state.transfers_active and state.payouts_enabled:
        return _activate(method, via="stripe onboarding")
    return method


def payout_method_verify(*, actor: User, method_id: int, code: str) -> PayoutMethod:
    """Enter the code mailed to the address. Five wrong codes use it up; a new one can be sent."""
    _freelancer(actor)
    with transaction.atomic():
        _serialise(actor.pk)
        method = _own(actor, method_id, lock=True)
        if method.status == PayoutMethodStatus.ACTIVE:
            return method
        if method.rail == PayoutRail.STRIPE:
            raise Conflict(gettext("A Stripe account is verified by Stripe's onboarding."), code="not_by_code")
        expired = method.code_sent_at is None or timezone.now() - method.code_sent_at > timedelta(
            minutes=rules.CODE_MINUTES
        )
        if expired or method.code_attempts >= rules.CODE_ATTEMPTS:
            raise ValidationFailed(
                gettext("This code has expired: send a new one."),
                code="code_expired",
                fields={"code": [gettext("Send a new code.")]},
            )
        expected = rules.code_digest(code, secret=settings.SECRET_KEY, method_id=method.pk)
        if code.strip() and expected == method.code_hash:
            return _activate(method, via="code", actor=actor)
        # A wrong code is counted, and the count commits: the refusal is raised once the transaction is done.
        method.code_attempts += 1
        method.save(update_fields=["code_attempts", "updated_at"])
    left = rules.CODE_ATTEMPTS - method.code_attempts
    raise ValidationFailed(
        gettext("That code is not right."),
        code="wrong_code",
        fields={"code": [gettext("Wrong code; %(left)s tries left.") % {"left": left}]},
    )


def _activate(method: PayoutMethod, *, via: str, actor: User | None = None) -> PayoutMethod:
    with transaction.atomic():
        _serialise(method.freelancer_id)
        locked = PayoutMethod.objects.select_for_update().get(pk=method.pk)
        if locked.status != PayoutMethodStatus.UNVERIFIED:
            return locked
        locked.status, locked.verified_at, locked.code_hash = PayoutMethodStatus.ACTIVE, timezone.now(), ""
        first = not PayoutMethod.objects.filter(freelancer_id=locked.freelancer_id, is_default=True).exists()
        locked.is_default = first
        locked.save(update_fields=["status", "verified_at", "code_hash", "is_default", "updated_at"])
        audit_record(actor=actor, action="payout_method.verified", target=locked, data={"via": via, "default": first})
    return locked


def payout_method_resend_code(*, actor: User, method_id: int) -> PayoutMethod:
    _freelancer(actor)
    with transaction.atomic():
        method = _own(actor, method_id, lock=True)
        if method.status != PayoutMethodStatus.UNVERIFIED or method.rail == PayoutRail.STRIPE:
            raise Conflict(gettext("This method needs no code."), code="no_code_needed")
        waited = timezone.now() - method.code_sent_at if method.code_sent_at else None
        if waited is not None and waited < timedelta(seconds=rules.RESEND_SECONDS):
            left = rules.RESEND_SECONDS - int(waited.total_seconds())
            raise Throttled(
                gettext("A code was sent a moment ago: ask for another in %(left)s s.") % {"left": left},
                retry_after=left,
            )
        _send_code(method)
    return method


def payout_method_make_default(*, actor: User, method_id: int, confirmed: bool) -> PayoutMethod:
    """Pay to this method from now on, after the hold. The other default stops being it in the same transaction."""
    _freelancer(actor)
    with transaction.atomic():
        method = _own_to_change(actor, method_id, confirmed)
        if method.is_default:
            return method
        if method.status != PayoutMethodStatus.ACTIVE:
            raise Conflict(gettext("Verify this method before making it the default."), code="not_verified")
        PayoutMethod.objects.filter(freelancer=actor, is_default=True).update(is_default=False)
        method.is_default, method.hold_until = True, max(method.hold_until, _hold_until())
        method.save(update_fields=["is_default", "hold_until", "updated_at"])
        audit_record(actor=actor, action="payout_method.made_default", target=method, data={})
        _tell_owner(method, "your payouts now go to another method", "default")
    return method


def payout_method_remove(*, actor: User, method_id: int, confirmed: bool) -> PayoutMethod:
    _freelancer(actor)
    with transaction.atomic():
        method = _own_to_change(actor, method_id, confirmed)
        was_default = method.is_default
        method.status, method.is_default, method.removed_at = PayoutMethodStatus.REMOVED, False, timezone.now()
        method.save(update_fields=["status", "is_default", "removed_at", "updated_at"])
        audit_record(actor=actor, action="payout_method.removed", target=method, data={"was_default": was_default})
        _tell_owner(method, "a payout method was removed", "removed")
    return method


def payout_method_release(*, actor: User, method_id: int) -> PayoutMethod:
    """A platform operator checked a method whose name differs from the profile's and lets it be paid."""
    if actor.role != Role.ADMIN or not actor.is_staff:
        raise PermissionDenied(gettext("Only the platform's operators release payout methods."))
    with transaction.atomic():
        method = PayoutMethod.objects.select_for_update().filter(pk=method_id).first()
        if method is None:
            raise NotFound(gettext("No such payout method."))
        if method.review != PayoutMethodReview.HELD:
            raise Conflict(gettext("This method is not held."), code="not_held")
        method.review = PayoutMethodReview.RELEASED
        method.save(update_fields=["review", "updated_at"])
        audit_record(actor=actor, action="payout_method.released", target=method, data={})
    return method
