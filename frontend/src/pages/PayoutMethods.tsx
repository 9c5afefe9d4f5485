/** Where a freelancer is paid: add a PayPal address or a bank account through Stripe, verify it, choose the
 * default. Changes ask for the password (and the authenticator code) again, mail the freelancer and are held. */
import { useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../api/client";
import type { PayoutMethod, PayoutRailOption } from "../api/types";
import { useAuth } from "../auth";
import { EmptyState, ErrorBanner, Fact, Facts, FieldMessages, Loading, PageHeader } from "../components/ui";
import { ReauthPrompt } from "../features/account/AccountSettings";
import * as allauth from "../features/account/allauth";
import { countryOptions } from "../features/onboarding/form";
import { dateTime } from "../format";
import { i18n } from "../i18n";
import {
  useAddPayoutMethod,
  useMakePayoutMethodDefault,
  usePayoutMethodOnboardingLink,
  useRemovePayoutMethod,
  useResendPayoutMethodCode,
  useVerifyPayoutMethod,
} from "../features/payout-methods/api/change-payout-method";
import { getPayoutMethod, usePayoutMethods } from "../features/payout-methods/api/get-payout-methods";
import { usePayoutRails } from "../features/payout-methods/api/get-payout-rails";
import { payoutMethodKeys } from "../features/payout-methods/api/keys";
import { useProfile } from "../features/profile/api/get-profile";

/** What stands between this method and a payout, in the freelancer's words (in the language the app shows: `t`,
 * by default the app's). */
export function methodState(
  m: Pick<PayoutMethod, "status" | "review" | "hold_until" | "is_default">,
  now = Date.now(),
  t: TFunction<"freelancer"> = i18n.getFixedT(null, "freelancer"),
): {
  label: string;
  tone: "green" | "amber" | "grey";
  detail: string;
} {
  if (m.status === "unverified") return { label: t("methods.state.unverified"), tone: "amber", detail: "" };
  if (m.review === "held") return { label: t("methods.state.held"), tone: "amber", detail: t("methods.state.heldDetail") };
  const hold = Date.parse(m.hold_until);
  if (hold > now) return { label: t("methods.state.onHold"), tone: "amber", detail: t("methods.state.onHoldDetail", { when: dateTime(m.hold_until) }) };
  return { label: m.is_default ? t("methods.state.paidHere") : t("methods.state.ready"), tone: m.is_default ? "green" : "grey", detail: "" };
}

type Pending = (() => Promise<void>) | null;

/** A select that starts on "Choose…" (nothing chosen yet). */
function Choose({ value, onChange, options }: { value: string; onChange: (value: string) => void; options: { value: string; label: string }[] }) {
  const { t } = useTranslation("freelancer");
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{t("methods.choose")}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

export function PayoutMethodsPage() {
  const { t } = useTranslation("freelancer");
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const methods = usePayoutMethods();
  const rails = usePayoutRails();
  const profile = useProfile();
  const [hasTwoFactor, setHasTwoFactor] = useState(false);
  const [retry, setRetry] = useState<Pending>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    allauth.listAuthenticators().then(
      (list) => setHasTwoFactor(list.some((a) => a.type === "totp")),
      () => undefined,
    );
  }, []);

  // Back from Stripe's onboarding: read the account's state from Stripe once.
  const returned = params.get("returned");
  useEffect(() => {
    if (!returned) return;
    getPayoutMethod(Number(returned)).then(
      async (m) => {
        // The list first, then the word: the notice never stands beside a list that still shows the method pending.
        await queryClient.invalidateQueries({ queryKey: payoutMethodKeys.list() });
        setNotice(m.status === "active" ? t("methods.notice.stripeDone") : t("methods.notice.stripeNeedsMore"));
        setParams({}, { replace: true });
      },
      (err) => setError(err as ApiError),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per return from Stripe: the list and the address bar are read as they are then
  }, [returned]);

  /** Run a change; if the server wants the password again, ask for it and run the change once more. */
  async function guarded(action: () => Promise<void>) {
    setError(null);
    setNotice(null);
    try {
      await action();
    } catch (err) {
      if (err instanceof ApiError && err.code === "reauthentication_required") {
        setRetry(() => action);
        return;
      }
      setError(err as ApiError);
    }
  }

  const list = methods.data?.results ?? [];
  return (
    <>
      <PageHeader
        title={t("methods.title")}
        subtitle={t("methods.subtitle")}
        actions={
          <Link className="btn" to="/earnings">
            {t("methods.back")}
          </Link>
        }
      />
      {notice && (
        <div className="banner banner-ok" role="status">
          {notice}
        </div>
      )}
      <ErrorBanner error={error ?? methods.error ?? rails.error} />
      {methods.isFetching && !methods.data && <Loading />}
      {methods.data && list.length === 0 && (
        <EmptyState title={t("methods.empty.title")} icon="◈">
          {t("methods.empty.body")}
        </EmptyState>
      )}
      <div className="cards payout-methods" data-testid="payout-methods">
        {list.map((m) => (
          <MethodCard
            key={m.id}
            method={m}
            onChanged={setNotice}
            guarded={guarded}
            onError={setError}
          />
        ))}
      </div>
      {rails.data && user && (
        <AddMethod
          rails={rails.data}
          defaults={{ name: user.display_name || "", country: profile.data?.country ?? "", currency: profile.data?.payout_currency ?? "" }}
          guarded={guarded}
          onAdded={(m) =>
            setNotice(m.rail === "stripe" ? t("methods.notice.stripeCreated") : t("methods.notice.codeSent", { receiver: m.receiver }))
          }
        />
      )}
      {retry && (
        <ReauthPrompt
          hasTwoFactor={hasTwoFactor}
          onDone={async () => {
            const again = retry;
            setRetry(null);
            await guarded(again);
          }}
          onCancel={() => setRetry(null)}
        />
      )}
    </>
  );
}

function MethodCard({
  method: m,
  onChanged,
  guarded,
  onError,
}: {
  method: PayoutMethod;
  onChanged: (message: string) => void;
  guarded: (action: () => Promise<void>) => Promise<void>;
  onError: (err: ApiError | null) => void;
}) {
  const { t } = useTranslation("freelancer");
  // Each change fetches the list of methods again (the mutations' invalidation) before the message shows.
  const verifyMethod = useVerifyPayoutMethod();
  const resendMethodCode = useResendPayoutMethodCode();
  const makeDefault = useMakePayoutMethodDefault();
  const removeMethod = useRemovePayoutMethod();
  const onboardingLink = usePayoutMethodOnboardingLink();
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<ApiError | null>(null);
  const state = methodState(m, undefined, t);
  // The server's message for the code (in the person's language), else its message for the request.
  const codeText = codeError && (codeError.fieldMessages("code")[0] ?? codeError.message);

  async function verify(event: FormEvent) {
    event.preventDefault();
    setCodeError(null);
    try {
      await verifyMethod.mutateAsync({ methodId: m.id, code });
      setCode("");
      onChanged(t("methods.notice.verified"));
    } catch (err) {
      setCodeError(err as ApiError);
    }
  }

  async function resendCode() {
    setCodeError(null);
    try {
      await resendMethodCode.mutateAsync(m.id);
      onChanged(t("methods.notice.newCode", { receiver: m.receiver }));
    } catch (err) {
      setCodeError(err as ApiError);
    }
  }

  async function continueOnboarding() {
    onError(null);
    try {
      const { url } = await onboardingLink.mutateAsync(m.id);
      window.location.assign(url);
    } catch (err) {
      onError(err as ApiError);
    }
  }

  return (
    <article className="card payout-method" data-testid={`payout-method-${m.id}`} aria-label={`${m.rail_label} ${m.receiver}`}>
      <header className="payout-method-head">
        <strong>{m.rail_label}</strong>
        {m.is_default && <span className="badge badge-blue">{t("methods.card.default")}</span>}
        <span className={`badge badge-${state.tone}`}>{state.label}</span>
      </header>
      <Facts>
        <Fact term={m.rail === "stripe" ? t("methods.card.account") : t("methods.card.address")} className="break">{m.receiver || "—"}</Fact>
        <Fact term={t("methods.card.nameOnIt")}>{m.account_name}</Fact>
        <Fact term={t("methods.card.paidIn")}>{m.currency} · {m.country}</Fact>
      </Facts>
      {state.detail && <p className="muted small">{state.detail}</p>}
      {m.status === "unverified" && m.rail !== "stripe" && (
        <form className="row inline-form" onSubmit={(event) => void verify(event)} noValidate>
          <div className="field grow">
            <label htmlFor={`code-${m.id}`}>{t("methods.card.codeSentTo", { receiver: m.receiver })}</label>
            <input id={`code-${m.id}`} className="code-input" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} aria-describedby={`code-${m.id}-error`} />
            {codeError && (
              <small className="error" id={`code-${m.id}-error`}>
                {codeText}
              </small>
            )}
          </div>
          <button className="btn btn-primary" type="submit" disabled={!code.trim()}>
            {t("methods.card.verify")}
          </button>
          <button className="btn btn-ghost" type="button" onClick={() => void resendCode()}>
            {t("methods.card.resend")}
          </button>
        </form>
      )}
      <div className="form-actions wrap">
        {m.status === "unverified" && m.rail === "stripe" && (
          <button className="btn btn-primary" onClick={() => void continueOnboarding()}>
            {t("methods.card.continueStripe")}
          </button>
        )}
        {m.status === "active" && !m.is_default && (
          <button
            className="btn"
            onClick={() =>
              void guarded(async () => {
                await makeDefault.mutateAsync(m.id);
                onChanged(t("methods.notice.defaultChanged"));
              })
            }
          >
            {t("methods.card.makeDefault")}
          </button>
        )}
        <button
          className="btn btn-danger-ghost"
          onClick={() => {
            if (window.confirm(t("methods.card.confirmRemove", { method: m.rail_label, receiver: m.receiver })))
              void guarded(async () => {
                await removeMethod.mutateAsync(m.id);
                onChanged(t("methods.notice.removed"));
              });
          }}
        >
          {t("methods.card.remove")}
        </button>
      </div>
    </article>
  );
}

function AddMethod({
  rails,
  defaults,
  guarded,
  onAdded,
}: {
  rails: PayoutRailOption[];
  defaults: { name: string; country: string; currency: string };
  guarded: (action: () => Promise<void>) => Promise<void>;
  onAdded: (m: PayoutMethod) => void;
}) {
  const { t } = useTranslation("freelancer");
  const addMethod = useAddPayoutMethod();
  const [rail, setRail] = useState<PayoutRailOption["rail"] | "">(rails.find((r) => r.rail !== "sandbox")?.rail ?? rails[0]?.rail ?? "");
  const [receiver, setReceiver] = useState("");
  const [name, setName] = useState(defaults.name);
  const [country, setCountry] = useState(defaults.country);
  const [currency, setCurrency] = useState(defaults.currency);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const countries = useMemo(() => countryOptions(), []);
  const chosen = rails.find((r) => r.rail === rail);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- an empty field takes the profile's default once it has loaded
  useEffect(() => setName((n) => n || defaults.name), [defaults.name]);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- as above
  useEffect(() => setCountry((c) => c || defaults.country), [defaults.country]);
  // eslint-disable-next-line react-hooks/set-state-in-effect -- as above
  useEffect(() => setCurrency((c) => c || defaults.currency), [defaults.currency]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    await guarded(async () => {
      if (!rail) return; // no rail is offered here: there is nothing to add
      try {
        const added = await addMethod.mutateAsync({
          rail,
          receiver: chosen?.verification === "code" ? receiver : "",
          account_name: name,
          country,
          currency,
        });
        setReceiver("");
        onAdded(added);
      } catch (err) {
        if (err instanceof ApiError && err.code !== "reauthentication_required") setError(err);
        else throw err;
      }
    });
    setBusy(false);
  }

  return (
    <form className="card form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby="add-method-title">
      <h2 id="add-method-title">{t("methods.add.title")}</h2>
      <fieldset className="field">
        <legend>{t("methods.add.how")}</legend>
        <div className="rail-choices">
          {rails.map((r) => (
            <label className={`rail-choice ${rail === r.rail ? "chosen" : ""}`} key={r.rail}>
              <input type="radio" name="rail" value={r.rail} checked={rail === r.rail} onChange={() => setRail(r.rail)} />
              <span>
                <strong>{r.name}</strong>
                <small className="muted">{r.description}</small>
                <small className="muted" data-testid={`fee-${r.rail}`}>
                  {t("methods.add.fee", { fee: r.fee_free ? t("methods.add.noFee") : r.fee })}
                </small>
              </span>
            </label>
          ))}
        </div>
        <FieldMessages error={error} name="rail" />
      </fieldset>
      {chosen?.verification === "code" && (
        <label className="field">
          <span>{rail === "paypal" ? t("methods.add.paypalEmail") : t("methods.add.email")}</span>
          <input type="email" autoComplete="email" value={receiver} onChange={(e) => setReceiver(e.target.value)} />
          <small className="muted">{t("methods.add.emailHint")}</small>
          <FieldMessages error={error} name="receiver" />
        </label>
      )}
      <div className="row">
        <label className="field grow">
          <span>{t("methods.add.name")}</span>
          <input value={name} autoComplete="name" onChange={(e) => setName(e.target.value)} />
          <FieldMessages error={error} name="account_name" />
        </label>
        <label className="field">
          <span>{t("methods.add.country")}</span>
          <Choose value={country} onChange={setCountry} options={countries.map((c) => ({ value: c.code, label: c.name }))} />
          <FieldMessages error={error} name="country" />
        </label>
        <label className="field">
          <span>{t("methods.add.currency")}</span>
          <Choose value={currency} onChange={setCurrency} options={(chosen?.currencies ?? []).map((c) => ({ value: c, label: c }))} />
          <FieldMessages error={error} name="currency" />
        </label>
      </div>
      {error && Object.keys(error.fields).length === 0 && <ErrorBanner error={error} />}
      <div className="form-actions">
        <button className="btn btn-primary" type="submit" disabled={busy || !rail}>
          {busy ? t("methods.add.adding") : chosen?.verification === "onboarding" ? t("methods.add.addStripe") : t("methods.add.addCode")}
        </button>
      </div>
    </form>
  );
}
