import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import type { ApiError } from "../api/client";
import type { ContributionSummary } from "../api/types";
import { DataTable, type Column } from "../components/DataTable";
import { ExamNotice } from "../components/ExamNotice";
import { Badge, EmptyState, ErrorBanner, Fact, Facts, Loading, PageHeader } from "../components/ui";
import { dateTime, minutes, money, perHour } from "../format";
import { fieldLabel } from "../features/onboarding/form";
import { useClaimTask } from "../features/work/api/claim-task";
import { useMarketplace } from "../features/work/api/get-marketplace";
import { useMyContributions } from "../features/work/api/get-my-contributions";

/** The marketplace answered `onboarding_incomplete`: say what is missing and where to add it. */
function OnboardingNeeded({ error }: { error: ApiError }) {
  const { t } = useTranslation("freelancer");
  const missing = Object.keys(error.fields);
  return (
    <section className="card onboarding-needed" role="alert" aria-labelledby="onboarding-needed-title">
      <h2 id="onboarding-needed-title">{t("tasks.onboarding.title")}</h2>
      <p>{t("tasks.onboarding.body")}</p>
      <ul>
        {missing.map((f) => (
          <li key={f}>{fieldLabel(f)}</li>
        ))}
      </ul>
      <Link className="btn btn-primary" to="/onboarding">
        {t("tasks.onboarding.action")}
      </Link>
    </section>
  );
}

function myWorkColumns(t: TFunction<"freelancer">): Column<ContributionSummary>[] {
  return [
    { header: t("tasks.myWork.project"), cell: (c) => <Link to={`/work/${c.id}`}>{c.project_title}</Link> },
    { header: t("tasks.myWork.item"), cell: (c) => c.item },
    { header: t("tasks.myWork.state"), cell: (c) => <Badge value={c.state} /> },
    { header: t("tasks.myWork.timeOnTask"), num: true, cell: (c) => minutes(Math.round(c.active_seconds / 60)) },
    { header: t("tasks.myWork.lastChange"), cell: (c) => dateTime(c.updated_at) },
  ];
}

function MyWork() {
  const { t } = useTranslation("freelancer");
  const mine = useMyContributions(20);
  if (!mine.data || mine.data.results.length === 0) return null;
  return (
    <section className="card" aria-labelledby="my-work">
      <h2 id="my-work">{t("tasks.myWork.title")}</h2>
      <DataTable stack rows={mine.data.results} rowKey={(c) => c.id} columns={myWorkColumns(t)} />
    </section>
  );
}

export function TasksPage() {
  const { t } = useTranslation("freelancer");
  const navigate = useNavigate();
  const { data, error, isFetching: loading } = useMarketplace();
  const claim = useClaimTask();
  const claimError = claim.error;
  const incomplete = [error, claimError].find((e) => e?.code === "onboarding_incomplete");
  const busy = claim.isPending ? claim.variables : null;

  function start(projectId: number) {
    claim.mutate(projectId, { onSuccess: (c) => void navigate(`/work/${c.id}`) });
  }

  return (
    <>
      <PageHeader title={t("tasks.title")} subtitle={t("tasks.subtitle")} />
      {incomplete ? (
        <OnboardingNeeded error={incomplete} />
      ) : (
        <ErrorBanner error={error ?? claimError} />
      )}
      <MyWork />
      {loading && <Loading />}
      {data && data.results.length === 0 && (
        <EmptyState title={t("tasks.empty.title")}>{t("tasks.empty.body")}</EmptyState>
      )}
      <div className="cards">
        {data?.results.map((p) => (
          <article className="card task-card" key={p.id}>
            <div className="card-top">
              <h2>{p.title}</h2>
              <div className="chips">
                {p.modalities.map((m) => (
                  <span className="chip" key={m}>
                    {t(`modality.${m}`)}
                  </span>
                ))}
              </div>
            </div>
            <details>
              <summary>{t("tasks.card.readBrief")}</summary>
              <div className="brief" dangerouslySetInnerHTML={{ __html: p.brief_html }} />
              {p.instructions_html && <div className="brief" dangerouslySetInnerHTML={{ __html: p.instructions_html }} />}
            </details>
            <Facts>
              <Fact term={t("tasks.card.pay")}>{money(p.pay)}</Fact>
              <Fact term={t("tasks.card.estimate")}>{minutes(p.estimated_minutes)}</Fact>
              <Fact term={t("tasks.card.effectiveRate")} className="rate">
                {perHour(p.effective_hourly_rate)}
              </Fact>
              <Fact term={t("tasks.card.workLeft")}>{t("tasks.card.tasksLeft", { count: p.work_left })}</Fact>
            </Facts>
            <p className="muted small">
              {t("tasks.card.byline", {
                organization: p.organization.name,
                licence: p.licence,
                generative: p.generative_tools_allowed ? "allowed" : "not_allowed",
              })}
            </p>
            {p.exam && <ExamNotice exam={p.exam} />}
            <div className="form-actions">
              {p.my_contribution_id ? (
                <Link className="btn btn-primary" to={`/work/${p.my_contribution_id}`}>
                  {t("tasks.card.continue")}
                </Link>
              ) : (
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={(!p.work_left && !p.revisions_waiting) || busy === p.id || (!!p.exam && p.exam.status !== "passed")}
                  onClick={() => start(p.id)}
                >
                  {busy === p.id
                    ? t("tasks.card.starting")
                    : p.exam && p.exam.status !== "passed"
                      ? t("tasks.card.examFirst")
                    : p.revisions_waiting
                      ? t("tasks.card.startRevision")
                      : p.work_left
                        ? t("tasks.card.startNext")
                        : t("tasks.card.nothingLeft")}
                </button>
              )}
            </div>
          </article>
        ))}
      </div>
    </>
  );
}
