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
  const missing = Object.keys(error.fields);
  return (
    <section className="card onboarding-needed" role="alert" aria-labelledby="onboarding-needed-title">
      <h2 id="onboarding-needed-title">Finish your profile to see paid work</h2>
      <p>The marketplace opens once your profile is complete. Still missing:</p>
      <ul>
        {missing.map((f) => (
          <li key={f}>{fieldLabel(f)}</li>
        ))}
      </ul>
      <Link className="btn btn-primary" to="/onboarding">
        Complete your profile
      </Link>
    </section>
  );
}

const MY_WORK_COLUMNS: Column<ContributionSummary>[] = [
  { header: "Project", cell: (c) => <Link to={`/work/${c.id}`}>{c.project_title}</Link> },
  { header: "Item", cell: (c) => c.item },
  { header: "State", cell: (c) => <Badge value={c.state} /> },
  { header: "Time on task", num: true, cell: (c) => `${Math.round(c.active_seconds / 60)} min` },
  { header: "Last change", cell: (c) => dateTime(c.updated_at) },
];

function MyWork() {
  const mine = useMyContributions(20);
  if (!mine.data || mine.data.results.length === 0) return null;
  return (
    <section className="card" aria-labelledby="my-work">
      <h2 id="my-work">Your work</h2>
      <DataTable stack rows={mine.data.results} rowKey={(c) => c.id} columns={MY_WORK_COLUMNS} />
    </section>
  );
}

export function TasksPage() {
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
      <PageHeader title="Tasks" subtitle="Paid creative work you qualify for. Every project shows its effective hourly rate." />
      {incomplete ? (
        <OnboardingNeeded error={incomplete} />
      ) : (
        <ErrorBanner error={error ?? claimError} />
      )}
      <MyWork />
      {loading && <Loading />}
      {data && data.results.length === 0 && (
        <EmptyState title="No open work for you right now">
          New projects appear here as soon as they are published. Add skills and media to your profile to qualify for more.
        </EmptyState>
      )}
      <div className="cards">
        {data?.results.map((p) => (
          <article className="card task-card" key={p.id}>
            <div className="card-top">
              <h2>{p.title}</h2>
              <div className="chips">
                {p.modalities.map((m) => (
                  <span className="chip" key={m}>
                    {m}
                  </span>
                ))}
              </div>
            </div>
            <details>
              <summary>Read the brief</summary>
              <div className="brief" dangerouslySetInnerHTML={{ __html: p.brief_html }} />
              {p.instructions_html && <div className="brief" dangerouslySetInnerHTML={{ __html: p.instructions_html }} />}
            </details>
            <Facts>
              <Fact term="Pay">{money(p.pay)}</Fact>
              <Fact term="Estimate">{minutes(p.estimated_minutes)}</Fact>
              <Fact term="Effective rate" className="rate">
                {perHour(p.effective_hourly_rate)}
              </Fact>
              <Fact term="Work left">
                {p.work_left} task{p.work_left === 1 ? "" : "s"}
              </Fact>
            </Facts>
            <p className="muted small">
              By {p.organization.name} · licence {p.licence} ·{" "}
              {p.generative_tools_allowed ? "generative tools allowed if declared" : "no generative tools"}
            </p>
            {p.exam && <ExamNotice exam={p.exam} />}
            <div className="form-actions">
              {p.my_contribution_id ? (
                <Link className="btn btn-primary" to={`/work/${p.my_contribution_id}`}>
                  Continue your task
                </Link>
              ) : (
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={(!p.work_left && !p.revisions_waiting) || busy === p.id || (!!p.exam && p.exam.status !== "passed")}
                  onClick={() => start(p.id)}
                >
                  {busy === p.id
                    ? "Starting…"
                    : p.exam && p.exam.status !== "passed"
                      ? "Pass the exam first"
                    : p.revisions_waiting
                      ? "Start the revision"
                      : p.work_left
                        ? "Start next task"
                        : "Nothing left for you"}
                </button>
              )}
            </div>
          </article>
        ))}
      </div>
    </>
  );
}
