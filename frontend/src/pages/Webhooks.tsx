/** Webhooks: endpoints that hear about submissions, reviews, payouts and dataset versions; their delivery log. */
import { useState, type FormEvent } from "react";
import { ApiError, del, post } from "../api/client";
import type { Paginated, WebhookDelivery, WebhookEndpoint, CreatedWebhookEndpoint } from "../api/types";
import { useAuth } from "../auth";
import { Badge, EmptyState, ErrorBanner, Loading, PageHeader, Pager } from "../components/ui";
import { dateTime } from "../format";
import { useApi } from "../hooks";

export const ORG_EVENTS = ["contribution.submitted", "contribution.approved", "contribution.rejected", "dataset_version.built"] as const;
export const PLATFORM_EVENTS = ["payout.confirmed", "payout.failed"] as const;

/** What a delivery's last try says, in words. */
export function lastTry(d: Pick<WebhookDelivery, "state" | "attempts" | "last_status" | "last_error" | "next_attempt_at">): string {
  if (d.state === "delivered") return d.last_status ? `HTTP ${d.last_status}` : "delivered";
  if (d.attempts === 0) return "queued";
  const why = d.last_error || (d.last_status ? `HTTP ${d.last_status}` : "no answer");
  return d.state === "failed" ? `gave up after ${d.attempts} tries: ${why}` : `${why}; next try ${dateTime(d.next_attempt_at)}`;
}

export function WebhooksPage() {
  const { user } = useAuth();
  const [page, setPage] = useState(1);
  const list = useApi<Paginated<WebhookEndpoint>>(`/api/v1/webhooks?page=${page}`);
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [platform, setPlatform] = useState(false);
  const [events, setEvents] = useState<string[]>(["contribution.approved", "dataset_version.built"]);
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<CreatedWebhookEndpoint | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const choices: readonly string[] = platform ? PLATFORM_EVENTS : ORG_EVENTS;

  async function add(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      setCreated(await post<CreatedWebhookEndpoint>("/api/v1/webhooks", { url, description, events: events.filter((e) => choices.includes(e)), platform }));
      setUrl("");
      setDescription("");
      await list.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  async function act(what: () => Promise<unknown>) {
    setError(null);
    try {
      await what();
      await list.reload();
    } catch (err) {
      setError(err as ApiError);
    }
  }

  return (
    <>
      <PageHeader title="Webhooks" subtitle="Tell your systems when work is submitted, approved or rejected and when a dataset version is built. Every body is signed." />
      <form className="card form" onSubmit={(event) => void add(event)} aria-labelledby="add-hook-title">
        <h2 id="add-hook-title">Add an endpoint</h2>
        <div className="row">
          <label className="field grow">
            <span>URL</span>
            <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://pipeline.example.com/atelier" />
            {error?.fieldMessages("url").map((m) => <small className="error" key={m}>{m}</small>)}
          </label>
          <label className="field grow">
            <span>Description</span>
            <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="optional" />
          </label>
        </div>
        {user?.is_staff && (
          <label className="check">
            <input type="checkbox" checked={platform} onChange={(e) => { setPlatform(e.target.checked); setEvents(e.target.checked ? [...PLATFORM_EVENTS] : ["contribution.approved"]); }} />
            Platform endpoint (payout events, for platform operators)
          </label>
        )}
        <fieldset className="field">
          <legend>Events</legend>
          <div className="checks">
            {choices.map((e) => (
              <label key={e} className="check">
                <input type="checkbox" checked={events.includes(e)} onChange={(ev) => setEvents(ev.target.checked ? [...events, e] : events.filter((x) => x !== e))} />
                <code>{e}</code>
              </label>
            ))}
          </div>
          {error?.fieldMessages("events").map((m) => <small className="error" key={m}>{m}</small>)}
        </fieldset>
        {error && Object.keys(error.fields).length === 0 && <ErrorBanner error={error} />}
        <div className="form-actions">
          <button className="btn btn-primary">Add endpoint</button>
        </div>
        <p className="muted small">
          Check each request's <code>Atelier-Signature</code> (<code>t=…,v1=HMAC-SHA256(secret, "t.body")</code>) and drop repeats by <code>Atelier-Delivery</code>. A failed delivery
          is tried again 3 times, from a minute, doubling. Private, loopback and metadata addresses are refused.
        </p>
      </form>
      {created && (
        <div className="banner banner-ok" role="status">
          Endpoint added. Its signing secret, shown this once: <code className="secret" data-testid="webhook-secret">{created.secret}</code>
        </div>
      )}
      <ErrorBanner error={list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.results.length === 0 && <EmptyState title="No webhooks yet" icon="⇄">Add an endpoint above to hear about events as they happen.</EmptyState>}
      {list.data?.results.map((e) => (
        <section className="card" key={e.id} aria-label={`Webhook ${e.url}`}>
          <div className="row" style={{ justifyContent: "space-between" }}>
            <div>
              <h2 className="mono">{e.url}</h2>
              <p className="muted small">
                {e.description && `${e.description} · `}
                {e.platform ? "platform · " : ""}
                {e.events.join(", ")} · {e.delivered} delivered · {e.pending} pending · {e.failed} failed
              </p>
            </div>
            <div className="form-actions">
              <button className="btn" onClick={() => void act(() => post(`/api/v1/webhooks/${e.id}/test`))}>
                Send test
              </button>
              <button className="btn" onClick={() => setOpen(open === e.id ? null : e.id)}>
                {open === e.id ? "Hide log" : "Delivery log"}
              </button>
              <button className="btn btn-danger-ghost" onClick={() => window.confirm(`Remove ${e.url} and its log?`) && void act(() => del(`/api/v1/webhooks/${e.id}`))}>
                Remove
              </button>
            </div>
          </div>
          {open === e.id && <DeliveryLog endpointId={e.id} onChange={() => void list.reload()} />}
        </section>
      ))}
      {list.data && <Pager page={page} count={list.data.count} pageSize={25} onPage={setPage} />}
    </>
  );
}

function DeliveryLog({ endpointId, onChange }: { endpointId: number; onChange: () => void }) {
  const [page, setPage] = useState(1);
  const log = useApi<Paginated<WebhookDelivery>>(`/api/v1/webhooks/${endpointId}/deliveries?page=${page}&page_size=10`);
  const [error, setError] = useState<ApiError | null>(null);
  async function redeliver(id: number) {
    setError(null);
    try {
      await post(`/api/v1/webhook-deliveries/${id}/redeliver`);
      await log.reload();
      onChange();
    } catch (err) {
      setError(err as ApiError);
    }
  }
  return (
    <div data-testid="delivery-log">
      <ErrorBanner error={error ?? log.error} />
      <div className="row">
        <button className="btn btn-ghost" onClick={() => void log.reload()}>
          Refresh
        </button>
      </div>
      {log.data && log.data.results.length === 0 && <p className="muted">Nothing sent yet.</p>}
      {log.data && log.data.results.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Event</th>
              <th>State</th>
              <th className="num">Tries</th>
              <th>Last try</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {log.data.results.map((d) => (
              <tr key={d.id}>
                <td>
                  <code>{d.event}</code>
                </td>
                <td>
                  <Badge value={d.state} />
                </td>
                <td className="num">{d.attempts}</td>
                <td className="small">{lastTry(d)}</td>
                <td>{dateTime(d.created_at)}</td>
                <td>
                  <button className="btn btn-ghost" onClick={() => void redeliver(d.id)}>
                    Redeliver
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {log.data && <Pager page={page} count={log.data.count} pageSize={10} onPage={setPage} />}
    </div>
  );
}
