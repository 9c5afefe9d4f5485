/** The signed-out steps that ask for a code: the second factor at login, and the code from a verification mail. */
import { useEffect, useState, type ComponentProps, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useSearchParams } from "react-router";
import { useAuth, type LoginOutcome } from "../../auth";
import { Loading } from "../../components/ui";
import * as allauth from "./allauth";
import { landingFor, useFollowOutcome } from "./follow";
import { asAllauthError, CodeField, FormError, StepExpired } from "./ui";

/** A step's state: whether it is still open (null while allauth is asked, after a reload), its flow, the code typed,
 * and `submit`, which sends the code through `verify` and follows where the answer leads. A 409 means the step is
 * over: the page then says so. */
export function useCodeStep(flowId: allauth.FlowId, verify: (code: string) => Promise<LoginOutcome>) {
  const location = useLocation();
  const follow = useFollowOutcome();
  const known = (location.state as { flow?: allauth.Flow } | null)?.flow ?? null;
  const [flow, setFlow] = useState<allauth.Flow | null>(known);
  const [pending, setPending] = useState<boolean | null>(known ? true : null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<allauth.AllauthError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (pending !== null) return;
    // A reload of the page: ask allauth whether the step is still open (and, for a second factor, with which codes).
    allauth.getAuthSession().then(
      (result) => {
        const open = result.pending?.id === flowId ? result.pending : null;
        setFlow(open);
        setPending(open !== null);
      },
      () => setPending(false),
    );
  }, [pending, flowId]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      follow(await verify(code));
    } catch (err) {
      const e = asAllauthError(err);
      if (e.status === 409) setPending(false);
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return { pending, flow, code, setCode, error, setError, busy, submit };
}

export type CodeStep = ReturnType<typeof useCodeStep>;

/** The step's page: someone signed in goes on to where they land, a spinner while allauth is asked, and once the
 * step is over, why (`expired`) and the way back to log in. */
export function CodeStepPage({ codeStep: step, title, expired, children }: { codeStep: CodeStep; title: string; expired: ReactNode; children: ReactNode }) {
  const { user } = useAuth();
  const [params] = useSearchParams();
  if (user) return <Navigate to={landingFor(user, params.get("next"))} replace />;
  if (step.pending === null) return <Loading />;
  if (!step.pending) return <StepExpired title={title}>{expired}</StepExpired>;
  return <>{children}</>;
}

/** The step's form: the code's field (its attributes beside `codeStep`), what went wrong beyond it, and Verify. */
export function CodeStepForm({
  codeStep: step,
  rateLimit,
  ...field
}: { codeStep: CodeStep; rateLimit?: string } & Omit<ComponentProps<typeof CodeField>, "value" | "onChange" | "error">) {
  const { t } = useTranslation("account");
  return (
    <form onSubmit={(event) => void step.submit(event)} noValidate>
      <CodeField {...field} value={step.code} onChange={step.setCode} error={step.error} />
      <FormError error={step.error} fields={[field.param]} rateLimit={rateLimit} />
      <button className="btn btn-primary btn-block" type="submit" disabled={step.busy || !step.code.trim()}>
        {step.busy ? t("code.checking") : t("code.verify")}
      </button>
    </form>
  );
}
